package dev.mlops.core.data;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The rank error of a numeric column's quantile sketch as {@link NumericStats} builds it beside DataSketches' KLL fed
 * every value, k = 200 all: without the file's size (its first values one by one, then a stratified sample weighing
 * 8), and with it (a stratified sample from the first value, weighing {@link NumericStats#stratumFor}), in one pass
 * and as two parts merged. Per trial, the worst of the 1st..99th percentiles' rank errors against the sorted values;
 * the median, 90th percentile and largest over the trials are printed per distribution and size
 * (docs/validation.md). In this package because {@code NumericStats} is package-private; run from the class path,
 * not as a module.
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.mlops.core.data.KllSamplerError 40
 * </pre>
 */
public final class KllSamplerError {

    private KllSamplerError() {
    }

    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        String[] distributions = {"uniform", "normal", "ascending", "integers 0-99", "lognormal"};
        int[] sizes = {100_000, 262_144, 500_000, 1_000_000, 2_000_000};
        for (String d : distributions) {
            for (int n : sizes) {
                double[][] errors = new double[4][trials];
                for (int t = 0; t < trials; t++) {
                    double[] v = values(d, n, new SplittableRandom(1000L * t + n));
                    double[] sorted = v.clone();
                    Arrays.sort(sorted);
                    KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(NumericStats.KLL_K);
                    kll.update(v, 0, n);
                    errors[0][t] = worstRankError(kll, sorted);
                    errors[1][t] = worstRankError(ours(v, 0, false), sorted);
                    errors[2][t] = worstRankError(ours(v, n, false), sorted);
                    errors[3][t] = worstRankError(ours(v, n, true), sorted);
                }
                StringBuilder line = new StringBuilder(String.format("%-14s n=%,9d", d, n));
                String[] arms = {"KLL alone", "no size", "size (1/" + NumericStats.stratumFor(n) + ")", "two parts"};
                for (int a = 0; a < arms.length; a++) {
                    double[] e = errors[a];
                    Arrays.sort(e);
                    line.append(String.format(" | %s: median %.4f p90 %.4f max %.4f", arms[a], e[trials / 2],
                            e[(int) (trials * 0.9)], e[trials - 1]));
                }
                System.out.println(line);
            }
        }
    }

    /** The sketch {@link NumericStats} builds of {@code v} (told the file's size unless 0), whole or as halves. */
    private static KllDoublesSketch ours(double[] v, long size, boolean twoParts) {
        NumericStats s = new NumericStats(size);
        NumericStats second = twoParts ? new NumericStats(size) : s;
        for (int i = 0; i < v.length; i++) {
            (i < v.length / 2 ? s : second).add(v[i]);
        }
        if (twoParts) {
            s.merge(second);
        }
        KllDoublesSketch k = KllDoublesSketch.heapify(Memory.wrap(
                Base64.getDecoder().decode(s.profile("x").sketches().kll())));
        if (k.getN() != v.length || k.getMinItem() != Arrays.stream(v).min().orElseThrow()
                || k.getMaxItem() != Arrays.stream(v).max().orElseThrow()) {
            throw new AssertionError("the sketch lost a value or an extreme");
        }
        return k;
    }

    private static double[] values(String distribution, int n, SplittableRandom r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (distribution) {
                case "uniform" -> r.nextDouble();
                case "normal" -> r.nextGaussian();
                case "ascending" -> i;
                case "integers 0-99" -> r.nextInt(100);
                default -> Math.exp(2 * r.nextGaussian());
            };
        }
        return v;
    }

    /** The largest distance from q to the ranks the sketch's q-quantile may stand for (a range where values tie). */
    private static double worstRankError(KllDoublesSketch k, double[] sorted) {
        double worst = 0;
        int n = sorted.length;
        for (int i = 1; i < 100; i++) {
            double q = i / 100.0;
            double e = k.getQuantile(q, QuantileSearchCriteria.INCLUSIVE);
            double low = (double) count(sorted, e, false) / n;
            double high = (double) count(sorted, e, true) / n;
            worst = Math.max(worst, q < low ? low - q : q > high ? q - high : 0);
        }
        return worst;
    }

    /** Values below {@code x}, or at or below it. */
    private static int count(double[] sorted, double x, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (sorted[m] < x || inclusive && sorted[m] == x) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }
}
