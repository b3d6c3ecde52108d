package dev.mlops.core.search;

import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Task;
import dev.mlops.core.pipeline.TrainedCandidate;

import java.util.Comparator;
import java.util.List;

/**
 * The order in which a run's candidates rank, best first: the one rule behind the registered
 * candidate ({@code BlessingRule.best}) and the leaderboard. Trained candidates rank by their
 * validation score on the run's selection metric, in the task's direction for it (lower RMSE, higher R², lower
 * log-loss), then for a classification by the other validation metric, then by the
 * lower validation log-loss (a candidate whose scores are not probabilities comes after one whose are), then the
 * lower index; test rows play no part. Candidates without validation scores (runs whose split has
 * no validation rows) rank by their test scores on the blessing policy's metric, as before
 * validation existed. Skipped candidates come last.
 */
public final class Selection {

    private Selection() {
    }

    /**
     * The ranking comparator (best first) for these candidates.
     *
     * @param candidates     the run's candidates (decides whether validation scores exist for all)
     * @param fallbackMetric the metric used when validation scores are missing ({@code accuracy} or
     *                       {@code macro_f1})
     */
    public static Comparator<TrainedCandidate> order(List<TrainedCandidate> candidates, String fallbackMetric) {
        List<TrainedCandidate> trained = candidates.stream().filter(TrainedCandidate::trained).toList();
        Task<?> task = trained.isEmpty() ? Classification.TASK : trained.get(0).candidate().taskType();
        boolean regression = task != Classification.TASK;
        // A classification's log-loss is missing for scores that are not probabilities: such a candidate ranks last.
        boolean validated = !trained.isEmpty() && trained.stream().allMatch(c -> regression
                ? c.selectionScore() != null : c.validationAccuracy() != null && c.validationMacroF1() != null);
        Comparator<TrainedCandidate> better;
        if (validated && regression) {
            // Better is higher: a metric where lower is better (RMSE, MAE) is compared negated.
            double sign = task.higherIsBetter(trained.get(0).candidate().selectionMetric()) ? 1 : -1;
            better = Comparator.comparingDouble(c -> sign * c.selectionScore());
        } else if (validated) {
            String metric = trained.get(0).candidate().selectionMetric();
            double sign = task.higherIsBetter(metric) ? 1 : -1;
            better = Comparator.<TrainedCandidate>comparingDouble(c -> c.selectionScore() == null
                            ? Double.NEGATIVE_INFINITY : sign * c.selectionScore())
                    .thenComparingDouble(c -> Classification.MACRO_F1.equals(c.candidate().selectionMetric())
                            ? c.validationAccuracy() : c.validationMacroF1())
                    .thenComparingDouble(c -> c.validationLogLoss() == null ? Double.NEGATIVE_INFINITY
                            : -c.validationLogLoss());
        } else {
            Comparator<TrainedCandidate> byAccuracy = Comparator.comparingDouble(TrainedCandidate::accuracy);
            Comparator<TrainedCandidate> byF1 = Comparator.comparingDouble(TrainedCandidate::macroF1);
            better = Classification.MACRO_F1.equals(fallbackMetric)
                    ? byF1.thenComparing(byAccuracy) : byAccuracy.thenComparing(byF1);
        }
        Comparator<TrainedCandidate> best = better.reversed();
        return (a, b) -> {
            if (a.trained() != b.trained()) {
                return a.trained() ? -1 : 1;
            }
            int byScore = a.trained() ? best.compare(a, b) : 0;
            return byScore != 0 ? byScore : Integer.compare(a.candidateIndex(), b.candidateIndex());
        };
    }
}
