package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Task;

/**
 * How a challenger is judged against the champion: on the rows neither trained on, by
 * {@code metric}, blessed when it is no worse than the champion by more than {@code margin} in the metric's
 * direction ({@code challenger ≥ champion − margin} where higher is better, {@code challenger ≤ champion + margin}
 * for RMSE, MAE, log-loss). A margin of 0 blesses ties (same data, same score: the newer version takes over); a
 * positive margin tolerates a small loss, a negative one demands a clear win.
 *
 * @param metric one of the task's metrics (default {@code accuracy}, which stands for the task's default:
 *               {@code rmse} for a regression; see {@link #forTask})
 * @param margin tolerated loss, in the metric's units (default 0); RMSE and MAE are in the label's units, so the
 *               margin is not bounded to [−1, 1]
 */
public record BlessingPolicy(String metric, Double margin) {

    public BlessingPolicy {
        metric = metric == null ? Classification.TASK.defaultMetric() : metric;
        margin = margin == null ? 0.0 : margin;
        if (!Task.allMetrics().contains(metric)) {
            throw new ContractException("field \"metric\": unknown metric \"" + metric + "\"; expected one of "
                    + Task.allMetrics());
        }
        if (!Double.isFinite(margin)) {
            throw new ContractException("field \"margin\": must be a finite number, got " + margin);
        }
    }

    /**
     * The policy for a dataset's task: the default metric ({@code accuracy}) becomes the task's default.
     *
     * @throws ContractException when the metric is not one of the task's
     */
    public BlessingPolicy forTask(Task<?> task) {
        if (task.knows(metric)) {
            return this;
        }
        if (Classification.TASK.defaultMetric().equals(metric)) {
            return new BlessingPolicy(task.defaultMetric(), margin);
        }
        throw new ContractException(task.refusal("field \"blessing.metric\"", metric));
    }

    /** Accuracy, ties blessed. */
    public static BlessingPolicy defaults() {
        return new BlessingPolicy(Classification.ACCURACY, 0.0);
    }
}
