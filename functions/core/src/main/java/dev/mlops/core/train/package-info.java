/**
 * Training and evaluation: deterministic stratified {@link dev.mlops.core.train.Split}s, the
 * {@link dev.mlops.core.train.ModelTrainer} producing a {@link dev.mlops.core.train.TrainingResult}
 * (artifact, signature, metrics, provenance) and {@link dev.mlops.core.train.Evaluation} computing
 * {@link dev.mlops.core.train.Metrics} through the same {@link dev.mlops.core.model.Predictor} used in
 * production.
 */
package dev.mlops.core.train;
