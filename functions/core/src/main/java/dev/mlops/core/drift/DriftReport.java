package dev.mlops.core.drift;

import java.util.List;

/**
 * Result of comparing a current window of data against the reference.
 *
 * @param currentCount number of records in the current window
 * @param features per-feature results: numeric features (sorted by name), then categorical ones
 * @param prediction drift of the predicted label distribution (categorical), or {@code null} when
 *     neither side has predictions
 * @param driftDetected {@code true} when any feature or the prediction distribution drifted
 * @param driftedFeatures names of the drifted features, in {@code features} order (the
 *     prediction is not listed here; see {@code prediction})
 */
public record DriftReport(
        int currentCount,
        List<FeatureDrift> features,
        FeatureDrift prediction,
        boolean driftDetected,
        List<String> driftedFeatures) {

    /** Makes the lists immutable copies. */
    public DriftReport {
        features = features == null ? List.of() : List.copyOf(features);
        driftedFeatures = driftedFeatures == null ? List.of() : List.copyOf(driftedFeatures);
    }
}
