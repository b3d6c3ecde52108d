/**
 * Ingest validation's handler: an S3 upload event, each record handed to the core's
 * {@link dev.mlops.core.ingest.IngestionService}.
 */
package dev.mlops.functions.ingest;
