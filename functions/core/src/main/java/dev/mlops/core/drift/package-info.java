/**
 * Data drift statistics: two-sample tests and distances between a reference (the training profile, {@link
 * dev.mlops.core.drift.Reference}) and a current sample (recent inference inputs, {@link
 * dev.mlops.core.drift.CurrentWindow}), and {@link dev.mlops.core.drift.DriftAnalysis}, which turns them into
 * per-column findings ({@link dev.mlops.core.drift.ColumnDrift}) and the dataset's verdict ({@link
 * dev.mlops.core.drift.DriftResult}).
 *
 * <p>The numeric routines reproduce SciPy 1.10.1 / NumPy (checked against
 * {@code src/test/resources/reference/drift/cases.json}): {@code scipy.stats.ks_2samp} (statistic,
 * the {@code 'auto'} p-value with the exact small-sample distribution, and the {@code 'asymp'}
 * p-value), {@code scipy.stats.wasserstein_distance}, {@code numpy.histogram_bin_edges}, the
 * population stability index, {@code scipy.spatial.distance.jensenshannon} (base 2) and {@code
 * scipy.stats.chi2_contingency} (without continuity correction).
 *
 * <p>The chi-square contingency test comes from Apache Commons Statistics; the Kolmogorov-Smirnov
 * test and the distances are written here, because the library's KS test differs from SciPy's in
 * ways the drift check meets (see {@code README.md} in this directory).
 *
 * <p>Pure Java, no AWS dependencies. All result types are records with simple components so they
 * serialise with a plain Jackson {@code ObjectMapper}.
 */
package dev.mlops.core.drift;
