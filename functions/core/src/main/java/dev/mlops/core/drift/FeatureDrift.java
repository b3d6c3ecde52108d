package dev.mlops.core.drift;

/**
 * Drift statistics and verdict for one feature (or for the prediction distribution).
 *
 * <p>Statistics that do not apply to the feature's type, or that cannot be computed because a side
 * has no data, are {@code null}.
 *
 * @param feature feature name ({@code "prediction"} for the predicted labels)
 * @param type {@code "numeric"} or {@code "categorical"}
 * @param referenceCount number of reference values used
 * @param currentCount number of current values used (0 when the feature is absent)
 * @param ksStatistic two-sample KS statistic (numeric)
 * @param ksPValue KS p-value, SciPy's {@code 'auto'} method (numeric)
 * @param psi population stability index (numeric: 10 equal-width bins over the pooled sample;
 *     categorical: per category; empty cells count as 1e-4)
 * @param jsDistance Jensen-Shannon distance, base 2, over the same bins/categories
 * @param wasserstein first Wasserstein distance in the feature's units (numeric)
 * @param chi2PValue chi-square test of independence p-value (categorical)
 * @param drifted whether the feature crossed a threshold with enough samples
 * @param reason short human-readable explanation of the verdict
 */
public record FeatureDrift(
        String feature,
        String type,
        long referenceCount,
        long currentCount,
        Double ksStatistic,
        Double ksPValue,
        Double psi,
        Double jsDistance,
        Double wasserstein,
        Double chi2PValue,
        boolean drifted,
        String reason) {

    /** Value of {@link #type()} for numeric features. */
    public static final String NUMERIC = "numeric";

    /** Value of {@link #type()} for categorical features. */
    public static final String CATEGORICAL = "categorical";
}
