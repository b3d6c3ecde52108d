/**
 * The model API's workflow ({@link dev.mlops.core.serving.ServingService}): which version serves,
 * request validation, the answer to every mistake, and capture of sampled traffic.
 */
package dev.mlops.core.serving;
