package dev.mlops.core.monitoring;

import dev.mlops.core.domain.TrainingSummary;
import dev.mlops.core.drift.DriftConfig;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.model.task.RegressionMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the model does on the recent requests that got a ground-truth label, against its own test score: a
 * classification by accuracy or macro-F1 (DEGRADED by a drop of {@code max_drop}), a regression by RMSE or MAE
 * (DEGRADED by a rise of {@code max_rise} times its test error).
 *
 * @param verdict        OK, DEGRADED, NOT_ENOUGH_DATA (fewer than {@code min_labels} labelled rows) or
 *                       NO_FEEDBACK (none)
 * @param reason         the verdict in one sentence, with its numbers
 * @param labelled       labelled rows joined with their captured prediction
 * @param metric         the metric the verdict is on ({@code accuracy} or {@code macro_f1}; {@code rmse} or
 *                       {@code mae})
 * @param accuracy       live accuracy (null for a regression)
 * @param accuracyLow    lower end of its 95 % Wilson interval
 * @param accuracyHigh   upper end
 * @param macroF1        live macro-F1 (classes that occur as truth or prediction, as scikit-learn)
 * @param testAccuracy   the model version's test accuracy (null for a regression)
 * @param testMacroF1    its test macro-F1 (null for a regression)
 * @param maxDrop        how far below the test score the live one may be
 * @param perClass       per true class: rows, correct, and the predictions made
 * @param unmatched      labels received whose prediction is not in the window (a prediction captured in another
 *                       window, not sampled, or a request id the API never gave)
 * @param rmse           a regression's live RMSE (null for a classification)
 * @param mae            its live MAE
 * @param testRmse       the model version's test RMSE
 * @param testMae        its test MAE
 * @param maxRise        how far above the test error (as a fraction of it) the live one may be
 */
public record LiveQuality(String verdict, String reason, long labelled, String metric, Double accuracy,
                          Double accuracyLow, Double accuracyHigh, Double macroF1, Double testAccuracy,
                          Double testMacroF1, double maxDrop, Map<String, Map<String, Long>> perClass,
                          long unmatched, Double rmse, Double mae, Double testRmse, Double testMae,
                          Double maxRise) {

    public static final String OK = "OK";
    public static final String DEGRADED = "DEGRADED";
    public static final String NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA";
    public static final String NO_FEEDBACK = "NO_FEEDBACK";

    /** z for a two-sided 95 % interval. */
    private static final double Z = 1.959963984540054;

    /**
     * @param pairs (actual, predicted) per labelled row
     */
    static LiveQuality of(List<String[]> pairs, TrainingSummary test, DriftConfig.Quality config, long unmatched) {
        long n = pairs.size();
        if (n == 0) {
            return new LiveQuality(NO_FEEDBACK, unmatched == 0 ? "no ground-truth labels for this window"
                    : unmatched + " labels received, none for a prediction captured in this window", 0,
                    config.metric(), null, null, null, null, test.accuracy(), test.macroF1(), config.maxDrop(),
                    Map.of(), unmatched, null, null, null, null, null);
        }
        Map<String, Map<String, Long>> confusion = new TreeMap<>();
        List<String> actual = new ArrayList<>(pairs.size());
        List<String> predicted = new ArrayList<>(pairs.size());
        long correct = 0;
        for (String[] pair : pairs) {
            confusion.computeIfAbsent(pair[0], k -> new TreeMap<>()).merge(pair[1], 1L, Long::sum);
            actual.add(pair[0]);
            predicted.add(pair[1]);
            if (pair[0].equals(pair[1])) {
                correct++;
            }
        }
        ClassificationMetrics metrics = Classification.TASK.evaluateLabels(actual, predicted);
        double accuracy = metrics.accuracy();
        double macroF1 = metrics.macroF1();
        double[] wilson = wilson(correct, n);
        boolean onAccuracy = Classification.ACCURACY.equals(config.metric());
        double baseline = onAccuracy ? test.accuracy() : test.macroF1();
        double live = onAccuracy ? accuracy : macroF1;
        double floor = baseline - config.maxDrop();
        String verdict;
        String reason;
        String numbers = config.metric() + " " + fmt(live) + " on " + n + " labelled rows"
                + (onAccuracy ? " (95% interval " + fmt(wilson[0]) + "-" + fmt(wilson[1]) + ")" : "")
                + ", test " + fmt(baseline) + " - max_drop " + fmt(config.maxDrop()) + " = " + fmt(floor);
        if (n < config.minLabels()) {
            verdict = NOT_ENOUGH_DATA;
            reason = n + " labelled rows, fewer than min_labels " + config.minLabels() + ": " + numbers;
        } else if (onAccuracy ? wilson[1] < floor : live < floor) {
            // For accuracy even the interval's upper end must be below the floor: a few unlucky labels are not a fall.
            verdict = DEGRADED;
            reason = "degraded: " + numbers;
        } else {
            verdict = OK;
            reason = "ok: " + numbers;
        }
        return new LiveQuality(verdict, reason, n, config.metric(), accuracy, wilson[0], wilson[1], macroF1,
                test.accuracy(), test.macroF1(), config.maxDrop(), confusion, unmatched, null, null, null, null, null);
    }

    /**
     * A regression's live quality: RMSE and MAE of the labelled rows; DEGRADED when the metric of {@link
     * DriftConfig.Quality#regressionMetric()} is above the test one by more than {@code max_rise} of it.
     *
     * @param pairs   (actual, predicted) per labelled row, numbers as text
     * @param test    the version's test metrics
     */
    static LiveQuality ofRegression(List<String[]> pairs, RegressionMetrics test,
                                    DriftConfig.Quality config, long unmatched) {
        String metric = config.regressionMetric();
        int n = pairs.size();
        if (n == 0) {
            return new LiveQuality(NO_FEEDBACK, unmatched == 0 ? "no ground-truth labels for this window"
                    : unmatched + " labels received, none for a prediction captured in this window", 0, metric, null,
                    null, null, null, null, null, config.maxDrop(), Map.of(), unmatched,
                    null, null, test.rmse(), test.mae(), config.maxRise());
        }
        double[] actual = new double[n];
        double[] predicted = new double[n];
        for (int i = 0; i < n; i++) {
            // Both are numbers: the API answers values, and feedback for a regression model accepts only numbers.
            actual[i] = Double.parseDouble(pairs.get(i)[0]);
            predicted[i] = Double.parseDouble(pairs.get(i)[1]);
        }
        RegressionMetrics live = Regression.TASK.evaluate(actual, predicted);
        double baseline = test.score(metric);
        double value = live.score(metric);
        double ceiling = baseline * (1 + config.maxRise());
        String numbers = metric + " " + fmt(value) + " on " + n + " labelled rows, test " + fmt(baseline)
                + " x (1 + max_rise " + fmt(config.maxRise()) + ") = " + fmt(ceiling);
        String verdict;
        String reason;
        if (n < config.minLabels()) {
            verdict = NOT_ENOUGH_DATA;
            reason = n + " labelled rows, fewer than min_labels " + config.minLabels() + ": " + numbers;
        } else if (value > ceiling) {
            verdict = DEGRADED;
            reason = "degraded: " + numbers;
        } else {
            verdict = OK;
            reason = "ok: " + numbers;
        }
        return new LiveQuality(verdict, reason, n, metric, null, null, null, null, null,
                null, config.maxDrop(), Map.of(), unmatched, live.rmse(), live.mae(), test.rmse(),
                test.mae(), config.maxRise());
    }

    /** Wilson score interval of a proportion. */
    static double[] wilson(long successes, long n) {
        double p = (double) successes / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }
}
