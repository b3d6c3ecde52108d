package dev.mlops.core.model.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ROC and precision-recall curves of a binary classifier on its test rows, for the training report: one point
 * per distinct score of the positive class taken as the threshold (highest first), thinned to at most {@link
 * #MAX_POINTS} evenly spaced ones so that a model card stays small. As scikit-learn's {@code roc_curve} and
 * {@code precision_recall_curve}: the ROC curve starts at (0, 0); precision at a threshold is over the rows scored
 * at or above it.
 *
 * @param positive  the positive class (the second in sorted order, as for ROC AUC)
 * @param fpr       false-positive rate at each threshold
 * @param tpr       true-positive rate (recall) at each threshold
 * @param precision precision at each threshold
 */
public record BinaryCurves(String positive, List<Double> fpr, List<Double> tpr, List<Double> precision) {

    /** Points kept per curve. */
    public static final int MAX_POINTS = 101;

    /**
     * The curves of the scores of the positive class, or null when one class is absent from the rows.
     *
     * @param positive the positive class
     * @param scores   the positive class's score per row
     * @param isPositive whether each row is of the positive class
     */
    static BinaryCurves of(String positive, double[] scores, boolean[] isPositive) {
        List<long[]> counts = counts(scores, isPositive);
        long positives = positives(isPositive);
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        List<double[]> points = new ArrayList<>(); // {fpr, tpr, precision}
        points.add(new double[] {0, 0, 1});
        for (long[] c : counts) {
            points.add(new double[] {(double) c[0] / negatives, (double) c[1] / positives,
                    (double) c[1] / (c[0] + c[1])});
        }
        List<Double> fpr = new ArrayList<>();
        List<Double> tpr = new ArrayList<>();
        List<Double> precision = new ArrayList<>();
        int n = points.size();
        int kept = Math.min(n, MAX_POINTS);
        for (int k = 0; k < kept; k++) {
            double[] p = points.get(kept == n ? k : (int) Math.round((double) k * (n - 1) / (kept - 1)));
            fpr.add(p[0]);
            tpr.add(p[1]);
            precision.add(p[2]);
        }
        return new BinaryCurves(positive, List.copyOf(fpr), List.copyOf(tpr), List.copyOf(precision));
    }

    /**
     * Area under the precision-recall curve as average precision, as scikit-learn's {@code
     * average_precision_score}: over the same thresholds as the curve (all of them, not thinned), the sum of
     * (recall gained) × (precision at that threshold); null when there is no positive.
     *
     * @param scores     the positive class's score per row
     * @param isPositive whether each row is of the positive class
     */
    static Double averagePrecision(double[] scores, boolean[] isPositive) {
        long positives = positives(isPositive);
        if (positives == 0) {
            return null;
        }
        double ap = 0;
        long previousTp = 0;
        for (long[] c : counts(scores, isPositive)) {
            ap += (double) (c[1] - previousTp) / positives * ((double) c[1] / (c[0] + c[1]));
            previousTp = c[1];
        }
        return ap;
    }

    /**
     * {false positives, true positives} at each distinct score taken as the threshold, highest first: tied rows
     * are on the same side of any threshold.
     */
    private static List<long[]> counts(double[] scores, boolean[] isPositive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<long[]> counts = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < order.length; i++) {
            if (isPositive[order[i]]) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 == order.length || scores[order[i + 1]] != scores[order[i]]) {
                counts.add(new long[] {fp, tp});
            }
        }
        return counts;
    }

    private static long positives(boolean[] isPositive) {
        long positives = 0;
        for (boolean p : isPositive) {
            positives += p ? 1 : 0;
        }
        return positives;
    }
}
