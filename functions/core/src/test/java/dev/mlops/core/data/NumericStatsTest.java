package dev.mlops.core.data;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running mean and standard deviation (sums of deviations from the column's first value; parts merged by Chan's
 * pairwise formula) against an exact BigDecimal reference, on inputs that break a naive sum of squares: a large
 * offset, a steady drift, mixed magnitudes, a constant; at the batch's edges; and merged from parts.
 */
class NumericStatsTest {

    private static final MathContext MC = MathContext.DECIMAL128;

    private record Case(String name, int n, IntToDoubleFunction value) {
    }

    @Test
    void outliers_whenMostValuesAreEqual_shouldBeCountedWithoutError() {
        // GIVEN a regression target whose quartiles are equal (the interquartile range is 0), and two values off it;
        // fewer values than the sketch keeps before it compacts, so its ranks are exact
        NumericStats s = new NumericStats();
        for (int i = 0; i < 150; i++) {
            s.add(i == 10 ? -4.0 : i == 20 ? 9.0 : 1.5);
        }

        // WHEN
        CellChecks.Outliers o = s.outliers(CellChecks.OUTLIER_IQRS);

        // THEN both fences are the quartile, and the one value below and the one above are counted
        assertThat(o.low()).isEqualTo(1.5);
        assertThat(o.high()).isEqualTo(1.5);
        assertThat(o.below()).isEqualTo(1);
        assertThat(o.above()).isEqualTo(1);
    }

    @Test
    void meanAndStddev_shouldMatchAnExactReference() {
        SplittableRandom r = new SplittableRandom(11);
        double[] gauss = new double[300_000];
        for (int i = 0; i < gauss.length; i++) {
            gauss[i] = r.nextGaussian();
        }
        Case[] cases = {
            new Case("1e9 + N(0,1)", 300_000, i -> 1e9 + gauss[i]),
            new Case("ramp 0..3e5 (drift)", 300_000, i -> i * 1.0),
            new Case("ramp, descending, offset 1e12", 300_000, i -> 1e12 - i * 0.5),
            new Case("mixed magnitudes", 300_000, i -> gauss[i] * Math.pow(10, i % 10 - 3)),
            new Case("constant", 100_003, i -> 123.456),
            new Case("one value", 1, i -> -7.25),
            new Case("a batch less one", NumericStats.BATCH - 1, i -> 5 + gauss[i]),
            new Case("a batch", NumericStats.BATCH, i -> 5 + gauss[i]),
            new Case("a batch and one", NumericStats.BATCH + 1, i -> 5 + gauss[i]),
        };
        for (Case c : cases) {
            double[] v = new double[c.n];
            for (int i = 0; i < c.n; i++) {
                v[i] = c.value.applyAsDouble(i);
            }
            NumericStats s = new NumericStats();
            for (double x : v) {
                s.add(x);
            }
            check(c.name, s.profile("x"), v);

            // the same values in three parts, merged
            NumericStats merged = new NumericStats();
            int a = c.n / 3;
            int b = 2 * c.n / 3 + 1;
            for (int[] part : new int[][] {{0, a}, {a, Math.min(b, c.n)}, {Math.min(b, c.n), c.n}}) {
                NumericStats p = new NumericStats();
                for (int i = part[0]; i < part[1]; i++) {
                    p.add(v[i]);
                }
                merged.merge(p);
            }
            check(c.name + ", merged from parts", merged.profile("x"), v);
        }
    }

    /**
     * The quantile sketch takes a stratified sample: past {@link NumericStats#EXACT_VALUES} values when the file's
     * size is not known, from the first value (one in {@link NumericStats#stratumFor}, 16 here) when it is; the sketch
     * still counts every value, keeps the exact extremes, and its quantiles stay within KLL's rank error (1.65 % at
     * 99 % confidence, k = 200) of the exact ones: on spread, tied, sorted and skewed values, and merged from parts.
     */
    @Test
    void quantiles_pastTheExactValues_shouldStayWithinTheSketchsRankError() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 1_000_000;
        Case[] cases = {
            new Case("uniform", n, i -> r.nextDouble()),
            new Case("normal", n, i -> r.nextGaussian()),
            new Case("integers 0..99 (ties)", n, i -> r.nextInt(100)),
            new Case("ascending", n, i -> i),
            new Case("descending", n, i -> -i),
            new Case("lognormal", n, i -> Math.exp(2 * r.nextGaussian())),
            new Case("just past the exact values", (int) (2 * NumericStats.EXACT_VALUES + 5), i -> r.nextGaussian()),
        };
        for (Case c : cases) {
            double[] v = new double[c.n];
            for (int i = 0; i < c.n; i++) {
                v[i] = c.value.applyAsDouble(i);
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            for (long size : new long[] {0, c.n}) {
                checkQuantiles(c.name + (size == 0 ? ", size not known" : ", size known"), v, sorted, size);
            }
        }
    }

    private static void checkQuantiles(String caseName, double[] v, double[] sorted, long size) {
        int n = v.length;
        {   // the same checks for one pass and for two halves merged
            NumericStats whole = new NumericStats(size);
            NumericStats merged = new NumericStats(size);
            NumericStats part = new NumericStats(size);
            for (int i = 0; i < n; i++) {
                whole.add(v[i]);
                part.add(v[i]);
                if (i == n / 2) {
                    merged.merge(part);
                    part = new NumericStats(size);
                }
            }
            merged.merge(part);
            for (var e : java.util.Map.of("one pass", whole, "two parts merged", merged).entrySet()) {
                String name = caseName + ", " + e.getKey();
                FeatureProfile p = e.getValue().profile("x");
                var kll = org.apache.datasketches.kll.KllDoublesSketch.heapify(org.apache.datasketches.memory.Memory
                        .wrap(java.util.Base64.getDecoder().decode(p.sketches().kll())));
                assertThat(kll.getN()).as(name + ": values counted").isEqualTo(n);
                assertThat(kll.getMinItem()).as(name + ": minimum").isEqualTo(sorted[0]);
                assertThat(kll.getMaxItem()).as(name + ": maximum").isEqualTo(sorted[n - 1]);
                for (double q : FeatureProfile.QUANTILES) {
                    double estimate = p.quantiles().get(FeatureProfile.quantileName(q));
                    // the ranks the estimate may stand for (an interval where values tie)
                    double low = (double) firstAtOrAbove(sorted, estimate) / n;
                    double high = (double) firstAbove(sorted, estimate) / n;
                    double error = q < low ? low - q : q > high ? q - high : 0;
                    assertThat(error).as(name + ": rank error of the " + q + " quantile").isLessThanOrEqualTo(0.0165);
                }
            }
        }
    }

    @Test
    void stratum_shouldDrawAtLeastTheMinimumSampleOverTheFile_upToItsCap() {
        // no sampling below twice the minimum; then a power of two that leaves at least the minimum drawn
        assertThat(NumericStats.stratumFor(1)).isEqualTo(1);
        assertThat(NumericStats.stratumFor(2 * NumericStats.MIN_SAMPLES - 1)).isEqualTo(1);
        for (long n = 2 * NumericStats.MIN_SAMPLES; n < 100_000_000L; n = n * 3 / 2) {
            int s = NumericStats.stratumFor(n);
            assertThat(Integer.bitCount(s)).as("a power of two at " + n).isEqualTo(1);
            assertThat(s).as("at " + n).isBetween(2, NumericStats.MAX_STRATUM);
            if (s < NumericStats.MAX_STRATUM) {
                assertThat(n / s).as("values drawn from " + n).isGreaterThanOrEqualTo(NumericStats.MIN_SAMPLES);
                assertThat(n / (2L * s)).as("the next stratum would draw too few").isLessThan(NumericStats.MIN_SAMPLES);
            }
        }
        assertThat(NumericStats.stratumFor(1_000_000)).isEqualTo(16);
        assertThat(NumericStats.stratumFor(10_000_000)).isEqualTo(NumericStats.MAX_STRATUM);
    }

    @Test
    void zeroAndMinusZero_shouldBeOneDistinctValue() {
        NumericStats s = new NumericStats();
        for (int i = 0; i < 1_000; i++) {
            s.add(i % 3 == 0 ? 0.0 : i % 3 == 1 ? -0.0 : 1.0);
        }
        assertThat(s.profile("x").distinct()).isEqualTo(2L);
    }

    private static int firstAtOrAbove(double[] sorted, double x) {
        int i = Arrays.binarySearch(sorted, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == x) {
            i--;
        }
        return i;
    }

    private static int firstAbove(double[] sorted, double x) {
        int i = firstAtOrAbove(sorted, x);
        while (i < sorted.length && sorted[i] == x) {
            i++;
        }
        return i;
    }

    private static void check(String name, FeatureProfile p, double[] v) {
        // exact sums (a double is an exact decimal), rounded once at the end
        BigDecimal n = BigDecimal.valueOf(v.length);
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal sumSquares = BigDecimal.ZERO;
        for (double x : v) {
            BigDecimal e = new BigDecimal(x);
            sum = sum.add(e);
            sumSquares = sumSquares.add(e.multiply(e));
        }
        double refMean = sum.divide(n, MC).doubleValue();
        double spread = Arrays.stream(v).map(Math::abs).max().orElse(0);
        // the mean within a few ulps of the largest magnitude
        assertThat(Math.abs(p.mean() - refMean)).as(name + ": mean").isLessThanOrEqualTo(4 * Math.ulp(spread));
        if (v.length > 1) {
            // n(n-1) var = n sum(x^2) - sum(x)^2, exactly
            BigDecimal scaled = n.multiply(sumSquares).subtract(sum.multiply(sum));
            double refSd = scaled.divide(n.multiply(n.subtract(BigDecimal.ONE)), MC).sqrt(MC).doubleValue();
            if (refSd == 0) {
                assertThat(p.stddev()).as(name + ": stddev").isEqualTo(0.0);
            } else {
                assertThat(Math.abs(p.stddev() - refSd) / refSd).as(name + ": stddev, relative error")
                        .isLessThan(1e-9);
            }
        }
    }
}
