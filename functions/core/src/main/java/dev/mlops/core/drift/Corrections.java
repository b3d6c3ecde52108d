package dev.mlops.core.drift;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Corrections of p-values for testing many columns at once, so that checking 36 columns at 0.05 does not flag
 * one of them by chance most of the time. The adjusted p-values are compared with the family's alpha; they
 * match {@code statsmodels.stats.multitest.multipletests(p, method=...)}'s {@code pvals_corrected}.
 */
final class Corrections {

    private Corrections() {
    }

    /**
     * @param p      the raw p-values
     * @param method {@code bonferroni} (p·m: the family-wise error rate), {@code holm} (step-down, the same
     *               guarantee, more power), {@code benjamini_hochberg} (step-up: the false discovery rate) or
     *               {@code none}
     * @return adjusted p-values, in the order of {@code p}, each at most 1
     */
    static double[] adjust(double[] p, String method) {
        int m = p.length;
        double[] out = new double[m];
        if (m == 0) {
            return out;
        }
        Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> p[i]))
                .toArray(Integer[]::new);
        switch (method) {
            case DriftConfig.NONE -> System.arraycopy(p, 0, out, 0, m);
            case DriftConfig.BONFERRONI -> {
                for (int i = 0; i < m; i++) {
                    out[i] = Math.min(1.0, p[i] * m);
                }
            }
            case DriftConfig.HOLM -> {
                double running = 0;
                for (int k = 0; k < m; k++) {
                    int i = order[k];
                    running = Math.max(running, Math.min(1.0, (m - k) * p[i]));
                    out[i] = running;
                }
            }
            case DriftConfig.BENJAMINI_HOCHBERG -> {
                double running = 1.0;
                for (int k = m - 1; k >= 0; k--) {
                    int i = order[k];
                    running = Math.min(running, Math.min(1.0, p[i] * m / (k + 1)));
                    out[i] = running;
                }
            }
            default -> throw new IllegalArgumentException("unknown correction " + method + "; expected one of "
                    + Arrays.asList(DriftConfig.BONFERRONI, DriftConfig.HOLM, DriftConfig.BENJAMINI_HOCHBERG,
                    DriftConfig.NONE));
        }
        return out;
    }
}
