/**
 * Ingest validation: an upload under {@code incoming/<dataset>/} is checked against its schema,
 * profiled, recorded as a dataset version and, when valid, handed to the training pipeline.
 */
package dev.mlops.functions.ingest;
