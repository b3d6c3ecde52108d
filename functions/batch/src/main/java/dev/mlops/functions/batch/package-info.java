/**
 * The batch scoring functions (docs/batch.md): {@link dev.mlops.functions.batch.BatchJobHandler} starts, plans,
 * joins and records a job; {@link dev.mlops.functions.batch.BatchPartHandler} scores one part of it. Both are thin
 * handlers over {@link dev.mlops.core.batch.BatchScoring}.
 */
package dev.mlops.functions.batch;
