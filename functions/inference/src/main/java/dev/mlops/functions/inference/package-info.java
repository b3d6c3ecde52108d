/**
 * Inference's handler: an HTTP API event ({@code POST /v1/models/{model}:predict}, {@code GET
 * /v1/models/{model}}) translated for the core's {@link dev.mlops.core.serving.ServingService}.
 */
package dev.mlops.functions.inference;
