package dev.mlops.core.drift;

/**
 * Result of a chi-square test of independence on a contingency table ({@code
 * scipy.stats.chi2_contingency} without continuity correction).
 *
 * @param statistic the Pearson chi-square statistic
 * @param pValue the p-value, chi-square survival function of {@code statistic} with {@code dof}
 *     degrees of freedom
 * @param dof degrees of freedom ({@code categories - 1} for a two-row table, counting only the
 *     categories observed on at least one side)
 */
public record Chi2Result(double statistic, double pValue, int dof) {}
