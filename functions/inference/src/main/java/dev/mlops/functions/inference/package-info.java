/**
 * Inference behind the HTTP API: {@code POST /v1/models/{model}:predict} in the TensorFlow Serving
 * shape ({@code instances} in, {@code predictions} out), every request checked against the model's
 * signature, sampled traffic captured to S3 for drift checks.
 */
package dev.mlops.functions.inference;
