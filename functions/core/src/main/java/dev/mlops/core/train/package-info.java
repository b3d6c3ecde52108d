/**
 * Training and evaluation of one candidate, with no storage and no pipeline: the {@link
 * dev.mlops.core.train.ModelTrainer} fits a {@link dev.mlops.core.train.TrainingConfig} (a model family, its
 * hyper-parameters, the seeded row-hash split with its {@link dev.mlops.core.train.RareClasses rare-class rule},
 * cross-validation or a refit) and produces a {@link dev.mlops.core.train.TrainingResult} (artifact,
 * signature, validation and test metrics, provenance); {@link dev.mlops.core.train.Evaluation} scores rows
 * through the same {@link dev.mlops.core.model.Predictor} used in production; {@link
 * dev.mlops.core.train.TrainingTime} estimates a candidate's time before it starts.
 */
package dev.mlops.core.train;
