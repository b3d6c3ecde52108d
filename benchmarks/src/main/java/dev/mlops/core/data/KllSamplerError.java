package dev.mlops.core.data;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The rank error of a numeric column's quantile sketch as {@link NumericStats} builds it (its first values one by
 * one, then a stratified sample weighing 8) beside DataSketches' KLL fed every value, k = 200 both: per trial, the
 * worst of the 1st..99th percentiles' rank errors against the sorted values; the median, 90th percentile and
 * largest over the trials are printed per distribution and size (docs/validation.md). In this package because
 * {@code NumericStats} is package-private; run from the class path, not as a module.
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
        int[] sizes = {262_144, 500_000, 1_000_000};
        for (String d : distributions) {
            for (int n : sizes) {
                double[] alone = new double[trials];
                double[] sampled = new double[trials];
                for (int t = 0; t < trials; t++) {
                    double[] v = values(d, n, new SplittableRandom(1000L * t + n));
                    KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(NumericStats.KLL_K);
                    kll.update(v, 0, n);
                    NumericStats s = new NumericStats();
                    for (double x : v) {
                        s.add(x);
                    }
                    KllDoublesSketch ours = KllDoublesSketch.heapify(Memory.wrap(
                            Base64.getDecoder().decode(s.profile("x").sketches().kll())));
                    double[] sorted = v.clone();
                    Arrays.sort(sorted);
                    if (ours.getN() != n || ours.getMinItem() != sorted[0] || ours.getMaxItem() != sorted[n - 1]) {
                        throw new AssertionError(d + ": the sketch lost a value or an extreme");
                    }
                    alone[t] = worstRankError(kll, sorted);
                    sampled[t] = worstRankError(ours, sorted);
                }
                Arrays.sort(alone);
                Arrays.sort(sampled);
                System.out.printf("%-14s n=%,9d  KLL alone: median %.4f p90 %.4f max %.4f | NumericStats: median %.4f"
                                + " p90 %.4f max %.4f%n", d, n, alone[trials / 2], alone[(int) (trials * 0.9)],
                        alone[trials - 1], sampled[trials / 2], sampled[(int) (trials * 0.9)], sampled[trials - 1]);
            }
        }
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
