/**
 * Inference's handler: an HTTP API event ({@code POST /v1/models/{model}:predict}, {@code GET
 * /v1/models/{model}[/metadata]}, {@code GET /v1/models/{model}/versions/{version}[/metadata]})
 * translated for the core's {@link dev.mlops.core.serving.ServingService}, a registry event turned
 * into re-reading the aliases, and the warm-up that SnapStart's snapshot is taken after.
 */
package dev.mlops.functions.inference;
