package dev.mlops.core.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Two-sample drift statistics for categorical features given as category counts, matching SciPy
 * 1.10.1.
 *
 * <p>Categories are the sorted union of both maps' keys (a category missing from one side counts
 * 0 there); {@code null} keys are ignored. Counts must be non-negative.
 */
public final class CategoricalDrift {

    private CategoricalDrift() {}

    /**
     * Sorted union of the categories of both count maps.
     *
     * @param ref reference counts
     * @param cur current counts
     * @return the categories in natural (lexicographic) order
     */
    public static List<String> categories(Map<String, Long> ref, Map<String, Long> cur) {
        TreeSet<String> all = new TreeSet<>();
        addKeys(all, ref);
        addKeys(all, cur);
        return new ArrayList<>(all);
    }

    /**
     * Proportion of each category (in the given order) within {@code counts}.
     *
     * @param counts category counts
     * @param categories the categories, e.g. from {@link #categories(Map, Map)}
     * @return proportions aligned with {@code categories}, all zero when the total is 0
     */
    public static double[] proportions(Map<String, Long> counts, List<String> categories) {
        return NumericDrift.proportions(counts(counts, categories));
    }

    /**
     * Chi-square test of independence on the 2 x k table (reference row, current row) of counts,
     * without continuity correction, as {@code scipy.stats.chi2_contingency(table,
     * correction=False)}; computed by Apache Commons Statistics' {@link ChiSquareTest}. A category
     * with a count of 0 on both sides is left out of the table (SciPy and the library reject such a
     * table). With a single remaining category the statistic is 0 and the p-value 1, as in SciPy.
     *
     * @param ref reference counts (positive total)
     * @param cur current counts (positive total)
     * @return statistic, p-value and degrees of freedom
     * @throws IllegalArgumentException if either side has no observations
     */
    public static Chi2Result chi2Contingency(Map<String, Long> ref, Map<String, Long> cur) {
        List<String> cats = categories(ref, cur);
        long[] r = counts(ref, cats);
        long[] c = counts(cur, cats);
        if (sum(r) == 0 || sum(c) == 0) {
            throw new IllegalArgumentException("both samples need at least one observation");
        }
        long[][] table = observedColumns(r, c);
        int dof = table[0].length - 1;
        if (dof == 0) {
            // SciPy's convention; the library needs at least two columns.
            return new Chi2Result(0.0, 1.0, 0);
        }
        SignificanceResult test = ChiSquareTest.withDefaults().test(table);
        return new Chi2Result(test.getStatistic(), test.getPValue(), dof);
    }

    /**
     * Population stability index over the category proportions, see {@link
     * NumericDrift#psi(double[], double[], double)}.
     *
     * @param ref reference counts
     * @param cur current counts
     * @param eps replacement for proportions equal to 0, &gt; 0
     * @return the index, &gt;= 0
     */
    public static double psi(Map<String, Long> ref, Map<String, Long> cur, double eps) {
        List<String> cats = categories(ref, cur);
        return NumericDrift.psi(proportions(ref, cats), proportions(cur, cats), eps);
    }

    /**
     * Jensen-Shannon distance (base 2, in [0, 1]) between the category proportions.
     *
     * @param ref reference counts (positive total)
     * @param cur current counts (positive total)
     * @return the distance
     */
    public static double jsDistance(Map<String, Long> ref, Map<String, Long> cur) {
        List<String> cats = categories(ref, cur);
        return NumericDrift.jensenShannonDistance(proportions(ref, cats), proportions(cur, cats));
    }

    /**
     * L-infinity distance: the largest absolute difference between the two sides' proportion of any
     * category.
     *
     * @param ref reference counts
     * @param cur current counts
     * @return the distance in [0, 1]
     */
    public static double lInfinity(Map<String, Long> ref, Map<String, Long> cur) {
        List<String> cats = categories(ref, cur);
        double[] p = proportions(ref, cats);
        double[] q = proportions(cur, cats);
        double max = 0.0;
        for (int i = 0; i < p.length; i++) {
            max = Math.max(max, Math.abs(p[i] - q[i]));
        }
        return max;
    }

    /**
     * Total count in a count map.
     *
     * @param counts category counts (may be null)
     * @return the sum of the counts
     */
    public static long total(Map<String, Long> counts) {
        long total = 0;
        if (counts != null) {
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    total += e.getValue();
                }
            }
        }
        return total;
    }

    private static void addKeys(TreeSet<String> all, Map<String, Long> counts) {
        if (counts == null) {
            return;
        }
        for (String k : counts.keySet()) {
            if (k != null) {
                all.add(k);
            }
        }
    }

    private static long[] counts(Map<String, Long> counts, List<String> categories) {
        long[] out = new long[categories.size()];
        for (int i = 0; i < out.length; i++) {
            Long v = counts == null ? null : counts.get(categories.get(i));
            long c = v == null ? 0L : v;
            if (c < 0) {
                throw new IllegalArgumentException(
                        "count of category '" + categories.get(i) + "' must be >= 0, got " + c);
            }
            out[i] = c;
        }
        return out;
    }

    /** The 2 x k table without the columns that are 0 in both rows (their expected count is 0). */
    private static long[][] observedColumns(long[] r, long[] c) {
        int k = 0;
        for (int i = 0; i < r.length; i++) {
            if (r[i] + c[i] > 0) {
                k++;
            }
        }
        long[][] table = new long[2][k];
        int j = 0;
        for (int i = 0; i < r.length; i++) {
            if (r[i] + c[i] > 0) {
                table[0][j] = r[i];
                table[1][j] = c[i];
                j++;
            }
        }
        return table;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }
}
