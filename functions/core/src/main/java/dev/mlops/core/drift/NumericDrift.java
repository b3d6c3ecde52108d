package dev.mlops.core.drift;

import java.util.Arrays;

/**
 * Two-sample drift statistics for numeric features, matching SciPy 1.10.1 / NumPy.
 *
 * <p>All methods are static and side-effect free; input arrays are never modified. Samples must be
 * non-empty and contain only finite values (callers such as {@link DriftAnalysis} drop missing
 * values first).
 */
public final class NumericDrift {

    private NumericDrift() {}

    /**
     * Two-sample Kolmogorov-Smirnov statistic: the largest absolute difference between the two
     * empirical CDFs ({@code scipy.stats.ks_2samp(ref, cur).statistic}).
     *
     * @param ref reference sample (non-empty, finite)
     * @param cur current sample (non-empty, finite)
     * @return statistic in [0, 1]
     */
    public static double ksStatistic(double[] ref, double[] cur) {
        requireSample(ref, "ref");
        requireSample(cur, "cur");
        double[] a = sorted(ref);
        double[] b = sorted(cur);
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double d = 0.0;
        while (i < n1 && j < n2) {
            double v = Math.min(a[i], b[j]);
            while (i < n1 && a[i] <= v) {
                i++;
            }
            while (j < n2 && b[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n1 - (double) j / n2));
        }
        return d;
    }

    /**
     * Two-sided KS p-value as SciPy's {@code ks_2samp(..., method='auto')}: the exact distribution
     * when {@code max(n1, n2) <= 10000}, otherwise (or if the exact computation fails) the asymptotic
     * one of {@link #ksPValueAsymptotic(double[], double[])}.
     *
     * @param ref reference sample (non-empty, finite)
     * @param cur current sample (non-empty, finite)
     * @return p-value in [0, 1]
     */
    public static double ksPValue(double[] ref, double[] cur) {
        double d = ksStatistic(ref, cur);
        int n1 = ref.length;
        int n2 = cur.length;
        if (Math.max(n1, n2) <= KolmogorovSmirnov.MAX_AUTO_N) {
            double exact = KolmogorovSmirnov.exactTwoSidedPValue(n1, n2, d);
            if (!Double.isNaN(exact)) {
                return exact;
            }
            long g = KolmogorovSmirnov.gcd(n1, n2);
            long lcm = (n1 / g) * (long) n2;
            d = Math.rint(d * lcm) / lcm;
        }
        return KolmogorovSmirnov.asymptoticTwoSidedPValue(n1, n2, d);
    }

    /**
     * Two-sided KS p-value as SciPy's {@code ks_2samp(..., method='asymp')}: the one-sample
     * Kolmogorov distribution {@code kstwo.sf(D, round(n1 * n2 / (n1 + n2)))}.
     *
     * @param ref reference sample (non-empty, finite)
     * @param cur current sample (non-empty, finite)
     * @return p-value in [0, 1]
     */
    public static double ksPValueAsymptotic(double[] ref, double[] cur) {
        double d = ksStatistic(ref, cur);
        return KolmogorovSmirnov.asymptoticTwoSidedPValue(ref.length, cur.length, d);
    }

    /**
     * First Wasserstein (earth mover's) distance between the two empirical distributions ({@code
     * scipy.stats.wasserstein_distance}).
     *
     * @param ref reference sample (non-empty, finite)
     * @param cur current sample (non-empty, finite)
     * @return distance in the units of the data, &gt;= 0
     */
    public static double wasserstein(double[] ref, double[] cur) {
        requireSample(ref, "ref");
        requireSample(cur, "cur");
        double[] u = sorted(ref);
        double[] v = sorted(cur);
        double[] all = new double[u.length + v.length];
        System.arraycopy(u, 0, all, 0, u.length);
        System.arraycopy(v, 0, all, u.length, v.length);
        Arrays.sort(all);
        double total = 0.0;
        int iu = 0;
        int iv = 0;
        for (int k = 0; k < all.length - 1; k++) {
            double x = all[k];
            while (iu < u.length && u[iu] <= x) {
                iu++;
            }
            while (iv < v.length && v[iv] <= x) {
                iv++;
            }
            double delta = all[k + 1] - x;
            total += Math.abs((double) iu / u.length - (double) iv / v.length) * delta;
        }
        return total;
    }

    /**
     * Wasserstein distance divided by the population standard deviation of the reference sample,
     * a scale-free variant.
     *
     * @param ref reference sample (non-empty, finite)
     * @param cur current sample (non-empty, finite)
     * @return the normalised distance, or {@code null} when the reference is constant
     */
    public static Double wassersteinNormalized(double[] ref, double[] cur) {
        double w = wasserstein(ref, cur);
        double sd = populationStd(ref);
        return sd > 0 ? w / sd : null;
    }

    /**
     * Equal-width bin edges over the pooled sample, as {@code numpy.histogram_bin_edges(
     * concatenate([ref, cur]), bins)}: {@code bins + 1} edges from the pooled minimum to the pooled
     * maximum, or over {@code [v - 0.5, v + 0.5]} when every value equals {@code v}.
     *
     * @param ref reference sample (non-empty, finite)
     * @param cur current sample (may be empty, finite)
     * @param bins number of bins, &gt;= 1
     * @return ascending edges, length {@code bins + 1}
     */
    public static double[] binEdges(double[] ref, double[] cur, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        if ((ref == null || ref.length == 0) && (cur == null || cur.length == 0)) {
            throw new IllegalArgumentException("at least one value is needed to compute bin edges");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] sample : new double[][] {ref, cur}) {
            if (sample == null) {
                continue;
            }
            for (double x : sample) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("values must be finite, got " + x);
                }
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        double step = (max - min) / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = min + i * step;
        }
        edges[bins] = max;
        return edges;
    }

    /**
     * Histogram counts of {@code values} over {@code edges} as {@code numpy.histogram}: bin {@code i}
     * is {@code [edges[i], edges[i+1])}, the last bin also includes its right edge, and values
     * outside {@code [edges[0], edges[last]]} (or not finite) are ignored.
     *
     * @param values the sample
     * @param edges ascending bin edges, at least two
     * @return counts per bin, length {@code edges.length - 1}
     */
    public static long[] histogram(double[] values, double[] edges) {
        if (edges == null || edges.length < 2) {
            throw new IllegalArgumentException("at least two bin edges are needed");
        }
        int bins = edges.length - 1;
        long[] counts = new long[bins];
        double lo = edges[0];
        double hi = edges[bins];
        for (double x : values) {
            if (!(x >= lo && x <= hi)) {
                continue;
            }
            int bin;
            if (x == hi) {
                bin = bins - 1;
            } else {
                // index of the last edge <= x
                int pos = Arrays.binarySearch(edges, x);
                if (pos >= 0) {
                    while (pos + 1 < edges.length && edges[pos + 1] == x) {
                        pos++;
                    }
                    bin = Math.min(pos, bins - 1);
                } else {
                    bin = -pos - 2;
                }
            }
            counts[bin]++;
        }
        return counts;
    }

    /**
     * Counts divided by their total.
     *
     * @param counts non-negative counts
     * @return proportions summing to 1, or all zeros when the total is 0
     */
    public static double[] proportions(long[] counts) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("counts must be >= 0, got " + c);
            }
            total += c;
        }
        double[] p = new double[counts.length];
        if (total == 0) {
            return p;
        }
        for (int i = 0; i < counts.length; i++) {
            p[i] = (double) counts[i] / total;
        }
        return p;
    }

    /**
     * Population stability index {@code sum((c - r) * ln(c / r))}, where proportions equal to 0 are
     * replaced by {@code eps} first.
     *
     * @param refProportions reference proportions per bin/category
     * @param curProportions current proportions, same length
     * @param eps replacement for empty bins, &gt; 0 (1e-4 is customary)
     * @return the index, &gt;= 0 (below 0.1 stable, above 0.2 a significant shift by convention)
     */
    public static double psi(double[] refProportions, double[] curProportions, double eps) {
        requireSameLength(refProportions, curProportions);
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        double sum = 0.0;
        for (int i = 0; i < refProportions.length; i++) {
            double r = refProportions[i] == 0.0 ? eps : refProportions[i];
            double c = curProportions[i] == 0.0 ? eps : curProportions[i];
            sum += (c - r) * Math.log(c / r);
        }
        return sum;
    }

    /**
     * Jensen-Shannon distance in base 2 ({@code scipy.spatial.distance.jensenshannon(p, q,
     * base=2)}): both vectors are normalised to sum 1, the result is the square root of the
     * divergence and lies in [0, 1].
     *
     * @param p first distribution (non-negative, positive sum)
     * @param q second distribution, same length
     * @return the distance in [0, 1]
     */
    public static double jensenShannonDistance(double[] p, double[] q) {
        requireSameLength(p, q);
        double sp = 0.0;
        double sq = 0.0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || q[i] < 0) {
                throw new IllegalArgumentException("distributions must be non-negative");
            }
            sp += p[i];
            sq += q[i];
        }
        if (!(sp > 0) || !(sq > 0)) {
            throw new IllegalArgumentException("distributions must have a positive sum");
        }
        double js = 0.0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double m = (pi + qi) / 2.0;
            js += relEntr(pi, m) + relEntr(qi, m);
        }
        js /= 2.0;
        js /= Math.log(2.0);
        return Math.sqrt(Math.max(js, 0.0));
    }

    private static double relEntr(double x, double y) {
        if (x == 0.0) {
            return 0.0;
        }
        return x * Math.log(x / y);
    }

    static double populationStd(double[] values) {
        double mean = 0.0;
        for (double x : values) {
            mean += x;
        }
        mean /= values.length;
        double ss = 0.0;
        for (double x : values) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / values.length);
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static void requireSample(double[] sample, String name) {
        if (sample == null || sample.length == 0) {
            throw new IllegalArgumentException(name + " must be a non-empty sample");
        }
        for (double x : sample) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(name + " must contain only finite values, got " + x);
            }
        }
    }

    private static void requireSameLength(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("expected two non-empty vectors of the same length");
        }
    }
}
