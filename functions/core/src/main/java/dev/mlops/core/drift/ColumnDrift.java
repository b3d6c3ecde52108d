package dev.mlops.core.drift;

import java.util.List;

/**
 * What the drift check found for one column (or for the predictions).
 *
 * @param type             {@code numeric} or {@code categorical}
 * @param test             {@code ks} (two-sample Kolmogorov-Smirnov on raw values: the reference's stored sample
 *                         against every current value, SciPy's exact/asymptotic p-value), {@code ks_sketch} (KS
 *                         on the two KLL sketches, p-value from the statistic minus the sketches' rank error) or
 *                         {@code chi_square} (on the category counts); null without enough data
 * @param statistic        the test's statistic (KS D, or Pearson's chi-square)
 * @param pValue           its p-value
 * @param pValueAdjusted   the p-value after the correction for testing many columns, compared with {@code alpha}
 * @param alpha            the family's significance level
 * @param distanceName     {@code wasserstein_sd} (first Wasserstein distance over the reference's standard
 *                         deviation) or {@code jensen_shannon} (base 2)
 * @param distance         the distance
 * @param threshold        the effect threshold the distance must exceed
 * @param verdict          DRIFTED, NO_DRIFT or NOT_ENOUGH_DATA
 * @param reason           the verdict in one sentence, with its numbers
 * @param referenceCount   reference values
 * @param currentCount     current values (missing and invalid ones not counted)
 * @param currentMissing   current rows without a value
 * @param currentInvalid   current values of a numeric column that were not finite numbers
 * @param sketchError      with {@code ks_sketch}: the rank error of the two sketches added (a bound at 99 %
 *                         confidence per query), subtracted from D before the p-value; null when exact
 * @param psi              population stability index over the reference's bins (reported, not decisive)
 * @param referenceMean    mean of the reference (numeric)
 * @param currentMean      mean of the current values (numeric)
 * @param referenceSd      standard deviation of the reference (numeric)
 * @param currentSd        standard deviation of the current values (numeric)
 * @param outliers         current values outside the reference's range (numeric), or values the reference
 *                         never had (categorical)
 * @param distribution     reference and current share per bin (numeric: bins at the reference's quantiles) or
 *                         per category
 * @param missing          how the share of rows without a value moved (null for the predictions)
 */
public record ColumnDrift(String type, String test, Double statistic, Double pValue, Double pValueAdjusted,
                          Double alpha, String distanceName, Double distance, Double threshold, Verdict verdict,
                          String reason, long referenceCount, long currentCount, long currentMissing,
                          long currentInvalid, Double sketchError, Double psi, Double referenceMean,
                          Double currentMean, Double referenceSd, Double currentSd, Outliers outliers,
                          Distribution distribution, MissingShare missing) {

    /**
     * The significance test of a column (all null but alpha when it had too few values to be tested).
     *
     * @param name           {@code ks}, {@code ks_sketch} or {@code chi_square}
     * @param statistic      its statistic
     * @param pValue         its p-value
     * @param pValueAdjusted after the correction for testing many columns
     * @param alpha          the family's significance level
     * @param sketchError    the sketches' rank error subtracted from D ({@code ks_sketch} only)
     */
    public record Significance(String name, Double statistic, Double pValue, Double pValueAdjusted, Double alpha,
                       Double sketchError) {
    }

    /**
     * The size of the shift, against the threshold it must exceed.
     *
     * @param name      {@code wasserstein_sd} or {@code jensen_shannon}
     * @param distance  the distance
     * @param threshold the effect threshold
     */
    public record Effect(String name, Double distance, Double threshold) {
    }

    /**
     * How many values each side had.
     *
     * @param reference reference values
     * @param current   current values (missing and invalid ones not counted)
     * @param missing   current rows without a value
     * @param invalid   current values of a numeric column that were not finite numbers
     */
    public record Counts(long reference, long current, long missing, long invalid) {
    }

    /**
     * Means and standard deviations of a numeric column (null for a categorical one, or without values).
     *
     * @param referenceMean mean of the reference
     * @param currentMean   mean of the current values
     * @param referenceSd   standard deviation of the reference
     * @param currentSd     standard deviation of the current values
     */
    public record Moments(Double referenceMean, Double currentMean, Double referenceSd, Double currentSd) {
    }

    /**
     * A column's finding, from its parts.
     *
     * @param type    {@code numeric} or {@code categorical}
     * @param verdict DRIFTED, NO_DRIFT or NOT_ENOUGH_DATA
     * @param reason  the verdict in one sentence, with its numbers
     * @param psi     the population stability index (reported, not decisive)
     * @param missing the change of the missing share (null for the predictions)
     */
    public static ColumnDrift of(String type, Verdict verdict, String reason, Significance test, Effect effect, Counts counts,
                                 Moments moments, Double psi, Outliers outliers, Distribution distribution,
                                 MissingShare missing) {
        return new ColumnDrift(type, test.name(), test.statistic(), test.pValue(), test.pValueAdjusted(), test.alpha(),
                effect.name(), effect.distance(), effect.threshold(), verdict, reason, counts.reference(),
                counts.current(), counts.missing(), counts.invalid(), test.sketchError(), psi,
                moments.referenceMean(), moments.currentMean(), moments.referenceSd(), moments.currentSd(), outliers,
                distribution, missing);
    }

    /**
     * The share of rows without a value in the reference and in the window: a column that fills up or empties
     * (an upstream join that broke, a form field made optional) drifted even when its values did not.
     *
     * @param reference the reference's share of rows without a value
     * @param current   the window's share
     * @param change    {@code current - reference}, in shares (0.113 is 11.3 percentage points)
     * @param threshold the change it must exceed ({@code missing_change})
     * @param pValue    the chi-square test of the two sides' missing and present counts (null: not tested, one
     *                  side has no rows or no side has a missing value)
     * @param changed   whether the change exceeds the threshold and the test is significant at alpha
     */
    public record MissingShare(double reference, double current, double change, double threshold, Double pValue,
                               boolean changed) {
    }

    /**
     * Values outside what the reference knows: below its minimum, above its maximum (numeric) or unseen
     * categories; they are reported, and cannot hide drift (bins are at the reference's quantiles and the KS
     * statistic ignores how far a value lies).
     *
     * @param below    values below the reference's minimum (numeric)
     * @param above    values above its maximum (numeric), or of categories the reference does not have
     * @param share    their share of the current values
     * @param examples the most extreme values (numeric) or some unseen categories
     */
    public record Outliers(long below, long above, double share, List<String> examples) {
    }

    /**
     * Shares per bin or category, for the report's charts.
     *
     * @param labels    bin ranges ({@code ≤ 4.9}, {@code (4.9, 5.4]}, ..., {@code > 7.2}) or categories
     * @param reference the reference's share per label
     * @param current   the current share per label
     */
    public record Distribution(List<String> labels, List<Double> reference, List<Double> current) {
    }
}
