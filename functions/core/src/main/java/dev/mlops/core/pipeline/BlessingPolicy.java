package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.task.Classification;

/**
 * How a challenger is judged against the champion: on the rows neither trained on, by
 * {@code metric}, blessed when {@code challenger ≥ champion − margin}. A margin of 0 blesses ties
 * (same data, same score: the newer version takes over); a positive margin tolerates a small
 * loss, a negative one demands a clear win.
 *
 * @param metric one of the task's metrics ({@link Classification}: {@code accuracy} (default) or {@code macro_f1})
 * @param margin tolerated loss, in the metric's units, between −1 and 1 (default 0)
 */
public record BlessingPolicy(String metric, Double margin) {

    public BlessingPolicy {
        metric = metric == null ? Classification.TASK.defaultMetric() : metric;
        margin = margin == null ? 0.0 : margin;
        if (!Classification.TASK.knows(metric)) {
            throw new ContractException("field \"metric\": unknown metric \"" + metric + "\"; expected "
                    + Classification.TASK.metricNames());
        }
        if (!(margin >= -1 && margin <= 1)) {
            throw new ContractException("field \"margin\": must be between -1 and 1, got " + margin);
        }
    }

    /** Accuracy, ties blessed. */
    public static BlessingPolicy defaults() {
        return new BlessingPolicy(Classification.ACCURACY, 0.0);
    }
}
