/**
 * Batch scoring: a CSV of any size scored by one model version in parts, as the batch state machine runs it
 * ({@code infra/statemachine/batch-scoring.asl.json}): {@link dev.mlops.core.batch.BatchScoring#plan plan} the
 * parts (byte ranges of whole lines), {@link dev.mlops.core.batch.BatchScoring#scorePart score} each part (a
 * Distributed Map item), {@link dev.mlops.core.batch.BatchScoring#finish join} them into one CSV in input order
 * with a summary. Rows are scored by the serving path's own model loading and request rules ({@link
 * dev.mlops.core.serving.ServedModels}, {@link dev.mlops.core.model.Predictor}); a bad row gets its reason in an
 * error column and never fails the job. The job itself is a {@link dev.mlops.core.batch.BatchJob} record.
 */
package dev.mlops.core.batch;
