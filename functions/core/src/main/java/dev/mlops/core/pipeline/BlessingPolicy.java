package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;

import java.util.Set;

/**
 * How a challenger is judged against the champion: on the rows neither trained on, by
 * {@code metric}, blessed when {@code challenger ≥ champion − margin}. A margin of 0 blesses ties
 * (same data, same score: the newer version takes over); a positive margin tolerates a small
 * loss, a negative one demands a clear win.
 *
 * @param metric {@code accuracy} (default) or {@code macro_f1}
 * @param margin tolerated loss, in the metric's units, between −1 and 1 (default 0)
 */
public record BlessingPolicy(String metric, Double margin) {

    public static final String ACCURACY = "accuracy";
    public static final String MACRO_F1 = "macro_f1";
    private static final Set<String> METRICS = Set.of(ACCURACY, MACRO_F1);

    public BlessingPolicy {
        metric = metric == null ? ACCURACY : metric;
        margin = margin == null ? 0.0 : margin;
        if (!METRICS.contains(metric)) {
            throw new ContractException("field \"metric\": unknown metric \"" + metric + "\"; expected accuracy or macro_f1");
        }
        if (!(margin >= -1 && margin <= 1)) {
            throw new ContractException("field \"margin\": must be between -1 and 1, got " + margin);
        }
    }

    /** Accuracy, ties blessed. */
    public static BlessingPolicy defaults() {
        return new BlessingPolicy(ACCURACY, 0.0);
    }
}
