package dev.mlops.core.drift;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares a current window of data with the reference and decides, feature by feature, whether
 * the data drifted.
 *
 * <ul>
 *   <li>A numeric feature drifts when its PSI (10 equal-width bins over the pooled sample, empty
 *       bins counted as 1e-4) exceeds {@link DriftThresholds#psi()} and its two-sample KS p-value
 *       is below {@link DriftThresholds#ksPValue()}. KS statistic, Wasserstein distance and JS
 *       distance are reported as well.
 *   <li>A categorical feature drifts when its Jensen-Shannon distance (base 2) exceeds {@link
 *       DriftThresholds#jsDistance()} and its chi-square p-value is below {@link
 *       DriftThresholds#ksPValue()}. PSI is reported as well.
 *   <li>The predicted label distribution is compared like a categorical feature named {@value
 *       #PREDICTION}.
 *   <li>A feature with fewer than {@link DriftThresholds#minSamples()} current (or reference)
 *       values is reported, with its statistics when both sides have data, but never flagged; a
 *       feature missing from the current window has {@code currentCount} 0.
 * </ul>
 *
 * <p>Why both a distance and a test: PSI over 10 bins is noisy for small samples. With 30 to 100
 * values per side drawn from the same normal distribution it exceeds 0.2 in most trials (empty
 * tail bins alone add about 0.05 each), while the KS test keeps its nominal rate at any size; on
 * large windows the reverse holds, and a test alone flags shifts too small to matter.
 */
public final class DriftDetector {

    /** Number of equal-width bins used for the PSI and JS distance of numeric features. */
    public static final int BINS = 10;

    /** Proportion that replaces empty bins/categories in the PSI. */
    public static final double PSI_EPS = 1e-4;

    /** Feature name of the prediction distribution in reports. */
    public static final String PREDICTION = "prediction";

    private DriftDetector() {}

    /**
     * Computes the drift report of {@code current} against {@code reference}.
     *
     * @param reference the reference data (e.g. the training set)
     * @param current the current window (e.g. recent inference inputs)
     * @param t thresholds; {@link DriftThresholds#defaults()} when {@code null}
     * @return the report
     */
    public static DriftReport detect(DriftInput reference, DriftInput current, DriftThresholds t) {
        if (reference == null || current == null) {
            throw new IllegalArgumentException("reference and current are required");
        }
        DriftThresholds th = t == null ? DriftThresholds.defaults() : t;

        List<FeatureDrift> features = new ArrayList<>();
        for (String name : union(reference.numeric().keySet(), current.numeric().keySet())) {
            features.add(numeric(name, finite(reference.numeric().get(name)),
                    finite(current.numeric().get(name)), th));
        }
        for (String name : union(reference.categorical().keySet(), current.categorical().keySet())) {
            features.add(categorical(name, reference.categorical().get(name),
                    current.categorical().get(name), th));
        }
        FeatureDrift prediction = null;
        if (!reference.predictions().isEmpty() || !current.predictions().isEmpty()) {
            prediction = categorical(PREDICTION, reference.predictions(), current.predictions(), th);
        }

        List<String> drifted = new ArrayList<>();
        for (FeatureDrift f : features) {
            if (f.drifted()) {
                drifted.add(f.feature());
            }
        }
        boolean any = !drifted.isEmpty() || (prediction != null && prediction.drifted());
        int currentCount = (int) Math.min(current.count(), Integer.MAX_VALUE);
        return new DriftReport(currentCount, features, prediction, any, drifted);
    }

    private static FeatureDrift numeric(String name, double[] ref, double[] cur, DriftThresholds t) {
        long nRef = ref.length;
        long nCur = cur.length;
        if (nRef == 0 || nCur == 0) {
            return new FeatureDrift(name, FeatureDrift.NUMERIC, nRef, nCur, null, null, null, null,
                    null, null, false, missingReason(nRef, nCur, t));
        }
        double ks = NumericDrift.ksStatistic(ref, cur);
        double p = NumericDrift.ksPValue(ref, cur);
        double[] edges = NumericDrift.binEdges(ref, cur, BINS);
        double[] pr = NumericDrift.proportions(NumericDrift.histogram(ref, edges));
        double[] pc = NumericDrift.proportions(NumericDrift.histogram(cur, edges));
        double psi = NumericDrift.psi(pr, pc, PSI_EPS);
        double js = NumericDrift.jensenShannonDistance(pr, pc);
        double w = NumericDrift.wasserstein(ref, cur);

        Verdict v = verdict(tooFewReason(nRef, nCur, t), "PSI", psi, t.psi(), "KS p-value", p, t.ksPValue());
        return new FeatureDrift(name, FeatureDrift.NUMERIC, nRef, nCur, ks, p, psi, js, w, null,
                v.drifted(), v.reason());
    }

    private static FeatureDrift categorical(
            String name, Map<String, Long> ref, Map<String, Long> cur, DriftThresholds t) {
        long nRef = CategoricalDrift.total(ref);
        long nCur = CategoricalDrift.total(cur);
        if (nRef == 0 || nCur == 0) {
            return new FeatureDrift(name, FeatureDrift.CATEGORICAL, nRef, nCur, null, null, null, null,
                    null, null, false, missingReason(nRef, nCur, t));
        }
        double psi = CategoricalDrift.psi(ref, cur, PSI_EPS);
        double js = CategoricalDrift.jsDistance(ref, cur);
        double p = CategoricalDrift.chi2Contingency(ref, cur).pValue();

        Verdict v = verdict(tooFewReason(nRef, nCur, t), "JS distance", js, t.jsDistance(),
                "chi-square p-value", p, t.ksPValue());
        return new FeatureDrift(name, FeatureDrift.CATEGORICAL, nRef, nCur, null, null, psi, js, null,
                p, v.drifted(), v.reason());
    }

    private record Verdict(boolean drifted, String reason) {
    }

    /**
     * The one rule for every feature: it drifted when the change is both statistically significant
     * (the test's p-value is below its threshold) and large enough to matter (the distance exceeds its
     * threshold), unless there are too few samples to say. Requiring both keeps small windows from
     * being flagged by PSI's sampling noise alone, and large windows from being flagged for tiny,
     * merely significant shifts.
     */
    private static Verdict verdict(String tooFew, String distanceName, double distance, double maxDistance,
                                   String testName, double p, double minP) {
        if (tooFew != null) {
            return new Verdict(false, tooFew);
        }
        boolean large = distance > maxDistance;
        boolean significant = p < minP;
        String distancePart = distanceName + " " + pair(distance, maxDistance, large ? " > " : " <= ");
        String testPart = testName + " " + formatP(p) + (significant ? " < " : " >= ") + formatP(minP);
        return large && significant
                ? new Verdict(true, distancePart + " and " + testPart)
                : new Verdict(false, "no drift: " + distancePart + ", " + testPart);
    }

    private static String missingReason(long nRef, long nCur, DriftThresholds t) {
        if (nRef == 0 && nCur == 0) {
            return "no data in reference or current";
        }
        if (nRef == 0) {
            return "no reference data";
        }
        return "too few samples (" + nCur + " < " + t.minSamples() + ")";
    }

    private static String tooFewReason(long nRef, long nCur, DriftThresholds t) {
        if (nCur < t.minSamples()) {
            return "too few samples (" + nCur + " < " + t.minSamples() + ")";
        }
        if (nRef < t.minSamples()) {
            return "too few reference samples (" + nRef + " < " + t.minSamples() + ")";
        }
        return null;
    }

    /** Formats "value op threshold" with 2 decimals, more if needed to tell them apart. */
    private static String pair(double value, double threshold, String op) {
        for (int decimals = 2; decimals < 6; decimals++) {
            String v = String.format(Locale.ROOT, "%." + decimals + "f", value);
            String th = String.format(Locale.ROOT, "%." + decimals + "f", threshold);
            if (!v.equals(th)) {
                return v + op + th;
            }
        }
        return String.format(Locale.ROOT, "%.6g%s%.6g", value, op, threshold);
    }

    /** Two significant digits, e.g. 0.37, 0.01, 3.2E-7. */
    private static String formatP(double p) {
        if (p == 0.0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(p).round(new MathContext(2)).stripTrailingZeros();
        return p >= 1e-4 ? bd.toPlainString() : bd.toString();
    }

    private static double[] finite(double[] values) {
        if (values == null) {
            return new double[0];
        }
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    private static TreeSet<String> union(
            java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> out = new TreeSet<>();
        for (String s : a) {
            if (s != null) {
                out.add(s);
            }
        }
        for (String s : b) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
