package dev.mlops.bench;

import dev.mlops.core.drift.CurrentWindow;
import dev.mlops.core.drift.DriftAnalysis;
import dev.mlops.core.drift.DriftConfig;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Synthetic;
import dev.mlops.core.drift.Verdict;

import java.util.Locale;

/**
 * False-alarm rate and detection power of the drift check under its default rule ({@link DriftConfig#defaults()}),
 * by simulation with the product's own code: per repetition, a training profile of 10,000 rows × 20 standard
 * normal features (profiled as ingest profiles an upload, its own seed), then for each current size n a window
 * from the same distribution (a false alarm when the dataset verdict is DRIFTED) and windows in which one feature's
 * mean moved by 0.1, 0.2 and 0.5 SD (detected when that feature is DRIFTED; "only" when no other feature is).
 * Prints a Markdown table.
 *
 * <pre>
 *   benchmarks/drift-power.sh [REPETITIONS]
 * </pre>
 */
public final class DriftPower {

    static final int FEATURES = 20;
    static final int TRAINING_ROWS = 10_000;
    static final int SHIFTED = 7;
    static final int[] SIZES = {1_000, 10_000, 100_000};
    static final double[] SHIFTS = {0.1, 0.2, 0.5};

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        DriftConfig rule = DriftConfig.defaults();
        int[] falseAlarms = new int[SIZES.length];
        int[] anyColumnAlarm = new int[SIZES.length];
        int[][] detected = new int[SIZES.length][SHIFTS.length];
        int[][] only = new int[SIZES.length][SHIFTS.length];
        long t0 = System.nanoTime();
        for (int r = 0; r < repetitions; r++) {
            long seed = 1_000L * r;
            Reference reference = Reference.of(Synthetic.profile(TRAINING_ROWS, FEATURES, seed), rule.bins());
            for (int s = 0; s < SIZES.length; s++) {
                DriftResult same = check(reference, rule, SIZES[s], -1, 0, seed + 1 + s);
                if (same.verdict() == Verdict.DRIFTED) {
                    falseAlarms[s]++;
                }
                if (!same.drifted().isEmpty()) {
                    anyColumnAlarm[s]++;
                }
                for (int k = 0; k < SHIFTS.length; k++) {
                    DriftResult shifted = check(reference, rule, SIZES[s], SHIFTED, SHIFTS[k], seed + 10 + 3 * s + k);
                    String name = Synthetic.name(SHIFTED);
                    if (shifted.drifted().contains(name)) {
                        detected[s][k]++;
                        if (shifted.drifted().size() == 1) {
                            only[s][k]++;
                        }
                    }
                }
            }
            if ((r + 1) % 10 == 0) {
                System.err.printf(Locale.ROOT, "%d/%d repetitions, %.0f s%n", r + 1, repetitions,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "%d repetitions per cell; rule: alpha %.2f, %s over %d tests, numeric effect %.2f"
                        + " SD (Wasserstein / reference SD), exact KS up to %,d rows, sketches above; %.0f s%n%n",
                repetitions, rule.alpha(), rule.correction(), FEATURES + 1, rule.numericEffect(), rule.exactMaxRows(),
                (System.nanoTime() - t0) / 1e9);
        System.out.println("| n | test | false alarms (dataset DRIFTED, no shift) | detected at 0.1 SD | at 0.2 SD | at 0.5 SD |");
        System.out.println("|---|---|---|---|---|---|");
        for (int s = 0; s < SIZES.length; s++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %,d | %s | %s |", SIZES[s],
                    SIZES[s] <= rule.exactMaxRows() ? "KS, exact" : "KS on sketches",
                    rate(falseAlarms[s], repetitions)));
            for (int k = 0; k < SHIFTS.length; k++) {
                line.append(' ').append(rate(detected[s][k], repetitions))
                        .append(String.format(Locale.ROOT, " (only it: %s)", rate(only[s][k], repetitions))).append(" |");
            }
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "%nany column DRIFTED with no shift: %s%n", java.util.stream.IntStream
                .range(0, SIZES.length).mapToObj(s -> String.format(Locale.ROOT, "n=%,d %s", SIZES[s],
                        rate(anyColumnAlarm[s], repetitions))).toList());
    }

    private static DriftResult check(Reference reference, DriftConfig rule, int rows, int shifted, double shift,
                                     long seed) {
        CurrentWindow window = Synthetic.window(reference, rule, rows, FEATURES, shifted, shift, seed);
        return DriftAnalysis.compare(window, rule);
    }

    private static String rate(int hits, int of) {
        return String.format(Locale.ROOT, "%.1f %% (%d/%d)", 100.0 * hits / of, hits, of);
    }
}
