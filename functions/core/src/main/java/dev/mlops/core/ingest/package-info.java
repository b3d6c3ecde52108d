/**
 * Ingest validation's workflow ({@link dev.mlops.core.ingest.IngestionService}): an upload under
 * {@code incoming/<dataset>/} is checked against its schema, profiled, recorded as a dataset
 * version and, when valid, handed to the training pipeline.
 */
package dev.mlops.core.ingest;
