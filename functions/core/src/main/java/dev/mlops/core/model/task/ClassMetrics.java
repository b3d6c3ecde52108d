package dev.mlops.core.model.task;

/**
 * Metrics of one class.
 *
 * @param precision true positives / predicted positives (0 if nothing was predicted as this class)
 * @param recall    true positives / actual positives (0 if the class has no support)
 * @param f1        harmonic mean of precision and recall (0 if both are 0)
 * @param support   number of evaluated rows whose true label is this class
 */
public record ClassMetrics(double precision, double recall, double f1, long support) {
}
