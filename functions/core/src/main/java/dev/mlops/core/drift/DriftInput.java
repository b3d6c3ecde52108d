package dev.mlops.core.drift;

import java.util.Map;

/**
 * One side (reference or current) of a drift comparison.
 *
 * @param numeric numeric feature name to its values; non-finite values (missing data) are ignored
 * @param categorical categorical feature name to its category counts
 * @param predictions predicted label to count; may be empty when predictions are not compared
 * @param count number of records this side was built from
 */
public record DriftInput(
        Map<String, double[]> numeric,
        Map<String, Map<String, Long>> categorical,
        Map<String, Long> predictions,
        long count) {

    /** Replaces {@code null} maps by empty ones and validates the count. */
    public DriftInput {
        numeric = numeric == null ? Map.of() : numeric;
        categorical = categorical == null ? Map.of() : categorical;
        predictions = predictions == null ? Map.of() : predictions;
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }
}
