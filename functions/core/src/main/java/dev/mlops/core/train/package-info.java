/**
 * Training and evaluation: the model {@link dev.mlops.core.train.Family families} (Tribuo trainers with
 * their hyper-parameters), the {@link dev.mlops.core.train.CandidateSearch search} a dataset's config expands
 * into, the row-hash {@link dev.mlops.core.data.SplitSpec split} with its {@link dev.mlops.core.train.RareClasses
 * rare-class rule}, the {@link dev.mlops.core.train.ModelTrainer} producing a
 * {@link dev.mlops.core.train.TrainingResult} (artifact, signature, validation and test metrics, provenance),
 * {@link dev.mlops.core.train.Evaluation} through the same {@link dev.mlops.core.model.Predictor} used in
 * production, the {@link dev.mlops.core.train.Selection ranking} of a run's candidates, their tracking
 * {@link dev.mlops.core.train.CandidateRecord records} and {@link dev.mlops.core.train.Leaderboard}, and what a
 * registered version says about itself ({@link dev.mlops.core.train.ModelCard},
 * {@link dev.mlops.core.train.ReportHtml}).
 */
package dev.mlops.core.train;
