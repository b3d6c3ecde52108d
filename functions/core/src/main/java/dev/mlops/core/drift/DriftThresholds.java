package dev.mlops.core.drift;

/**
 * Thresholds that decide when a feature counts as drifted.
 *
 * @param psi a numeric feature drifts when its population stability index exceeds this
 * @param ksPValue a numeric feature drifts when its KS p-value is below this; a categorical one
 *     when its chi-square p-value is below this
 * @param jsDistance a categorical feature (or the prediction distribution) drifts when its
 *     Jensen-Shannon distance (base 2) exceeds this
 * @param minSamples features with fewer current (or reference) values are reported but never
 *     flagged
 */
public record DriftThresholds(double psi, double ksPValue, double jsDistance, int minSamples) {

    /** Validates the thresholds. */
    public DriftThresholds {
        if (!(psi >= 0) || Double.isInfinite(psi)) {
            throw new IllegalArgumentException("psi threshold must be a finite value >= 0, got " + psi);
        }
        if (!(ksPValue >= 0 && ksPValue <= 1)) {
            throw new IllegalArgumentException("ksPValue threshold must be in [0, 1], got " + ksPValue);
        }
        if (!(jsDistance >= 0 && jsDistance <= 1)) {
            throw new IllegalArgumentException(
                    "jsDistance threshold must be in [0, 1], got " + jsDistance);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be >= 1, got " + minSamples);
        }
    }

    /**
     * The defaults: PSI 0.2, KS/chi-square p-value 0.01, JS distance 0.1, at least 30 samples.
     *
     * @return the default thresholds
     */
    public static DriftThresholds defaults() {
        return new DriftThresholds(0.2, 0.01, 0.1, 30);
    }
}
