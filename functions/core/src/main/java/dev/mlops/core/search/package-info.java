/**
 * The training step's workflow: a run's candidates, from the dataset's settings to a ranking.
 * {@link dev.mlops.core.search.CandidateSearch} expands the {@code training} section of a dataset's config into
 * the run's candidates; {@link dev.mlops.core.search.CandidateTrainer} trains one of them (one item of the
 * state machine's Map) on exactly the upload that was validated ({@link dev.mlops.core.search.PinnedDataset}),
 * writes its artifacts and its tracking {@link dev.mlops.core.search.CandidateRecord record};
 * {@link dev.mlops.core.search.Selection} ranks a run's candidates and {@link dev.mlops.core.search.Leaderboard}
 * (with its {@link dev.mlops.core.search.TrainingReportHtml page}) shows the ranking;
 * {@link dev.mlops.core.search.LocalSearch} runs the same search in one process ({@code ./mlops train}).
 */
package dev.mlops.core.search;
