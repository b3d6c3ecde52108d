/**
 * Registry updates: register the best candidate of a run as a new model version (blessed or not
 * against the champion), move the production alias, and record failures caught by the pipeline.
 */
package dev.mlops.functions.registry;
