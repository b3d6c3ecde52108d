package dev.mlops.core.model.task;

import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Scores;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classification: a label is a class name (the trimmed cell), the model's output a Tribuo {@link Label}. Its
 * metrics are accuracy and macro-F1 (both higher is better), with per-class precision, recall and F1, the
 * confusion matrix, log-loss and, for two classes, ROC AUC, as scikit-learn computes them. Classes are
 * <em>imbalanced</em> when the largest has more than {@value #IMBALANCE_RATIO} times the rows of the smallest;
 * then the automatic choices are macro-F1 and balanced class weights.
 */
public final class Classification extends Task<Label> {

    /** The one classification task. */
    public static final Classification TASK = new Classification();

    /** Fraction of correct predictions. */
    public static final String ACCURACY = "accuracy";
    /** Unweighted mean F1 over the classes. */
    public static final String MACRO_F1 = "macro_f1";

    /** Largest / smallest class count above which the classes count as imbalanced. */
    public static final double IMBALANCE_RATIO = 3.0;

    private static final LabelFactory FACTORY = new LabelFactory();

    private Classification() {
    }

    @Override
    public String id() {
        return "classification";
    }

    @Override
    public OutputFactory<Label> outputFactory() {
        return FACTORY;
    }

    @Override
    public Label output(String cell) {
        return FACTORY.generateOutput(label(cell));
    }

    @Override
    public String label(String cell) {
        return cell.trim();
    }

    @Override
    public List<String> metrics() {
        return List.of(ACCURACY, MACRO_F1);
    }

    @Override
    public boolean higherIsBetter(String metric) {
        return true;
    }

    /** Whether label counts are imbalanced by the rule above. */
    public static boolean imbalanced(Map<String, Long> labelCounts) {
        if (labelCounts.size() < 2) {
            return false;
        }
        long max = Collections.max(labelCounts.values());
        long min = Collections.min(labelCounts.values());
        return max > IMBALANCE_RATIO * min;
    }

    /** The selection metric {@code auto} stands for: macro-F1 when the classes are imbalanced, accuracy otherwise. */
    public String autoMetric(Map<String, Long> labelCounts) {
        return imbalanced(labelCounts) ? MACRO_F1 : ACCURACY;
    }

    /**
     * Computes every metric from true labels and predictions: label metrics, the confusion matrix, log-loss
     * (when {@code probabilities}) and ROC AUC (binary problems, scores of the second class in sorted order).
     *
     * @param truth         true labels
     * @param predicted     predictions, same length
     * @param probabilities whether the prediction scores are class probabilities
     * @return metrics with {@code trainRows} 0
     */
    @Override
    public Metrics evaluate(List<String> truth, List<Prediction> predicted, boolean probabilities) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted labels");
        }
        return evaluate(truth, Scores.of(predicted, probabilities));
    }

    /**
     * {@link #evaluate(List, List, boolean)} on a model's answers as arrays ({@link Scores}), as evaluation of
     * many rows gives them.
     *
     * @param truth  true labels, one per scored row
     * @param scored the model's answers
     * @return metrics with {@code trainRows} 0
     */
    public Metrics evaluate(List<String> truth, Scores scored) {
        if (truth.size() != scored.rows()) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted labels");
        }
        List<String> classes = scored.classes();
        int[] predictedIndex = scored.predicted();
        List<String> predictedLabels = new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return classes.get(predictedIndex[i]);
            }

            @Override
            public int size() {
                return predictedIndex.length;
            }
        };
        Metrics labels = evaluateLabels(truth, predictedLabels);
        Map<String, Map<String, Long>> confusion = new TreeMap<>();
        for (String c : labels.perClass().keySet()) {
            Map<String, Long> row = new TreeMap<>();
            labels.perClass().keySet().forEach(p -> row.put(p, 0L));
            confusion.put(c, row);
        }
        for (int i = 0; i < truth.size(); i++) {
            confusion.get(truth.get(i)).merge(predictedLabels.get(i), 1L, Long::sum);
        }
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        Double logLoss = null;
        if (scored.probabilistic()) {
            double[] losses = new double[truth.size()];
            for (int i = 0; i < truth.size(); i++) {
                Integer c = index.get(truth.get(i));
                double p = c == null ? 0 : scored.score(i, c);
                double q = Double.isNaN(p) ? 0 : p;
                losses[i] = -Math.log(Math.min(1 - 1e-15, Math.max(1e-15, q)));
            }
            // Summed in sorted order: the same rows in another order give the same bits.
            java.util.Arrays.sort(losses);
            double sum = 0;
            for (double l : losses) {
                sum += l;
            }
            logLoss = sum / truth.size();
        }
        Double auc = null;
        TreeSet<String> sorted = new TreeSet<>(classes);
        if (sorted.size() == 2) {
            String positive = sorted.last();
            int p = index.get(positive);
            double[] scores = new double[truth.size()];
            boolean[] pos = new boolean[truth.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = scored.score(i, p);
                pos[i] = truth.get(i).equals(positive);
            }
            auc = rocAuc(scores, pos);
        }
        return new Metrics(labels.accuracy(), labels.macroF1(), labels.perClass(), 0, labels.testRows(), confusion,
                logLoss, auc);
    }

    /** Mann-Whitney U / (positives × negatives), ties counted half; null when one class is absent. */
    static Double rocAuc(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += midRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Computes metrics from true and predicted labels; classes are the union of both lists.
     *
     * @param truth     true labels
     * @param predicted predicted labels, same length
     * @return metrics with {@code trainRows} 0
     */
    public Metrics evaluateLabels(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size() || truth.isEmpty()) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted labels");
        }
        TreeSet<String> classes = new TreeSet<>(truth);
        classes.addAll(predicted);
        Map<String, long[]> counts = new TreeMap<>(); // tp, predicted, actual
        classes.forEach(c -> counts.put(c, new long[3]));
        long correct = 0;
        for (int i = 0; i < truth.size(); i++) {
            String y = truth.get(i);
            String p = predicted.get(i);
            counts.get(p)[1]++;
            counts.get(y)[2]++;
            if (y.equals(p)) {
                correct++;
                counts.get(y)[0]++;
            }
        }
        Map<String, ClassMetrics> per = new TreeMap<>();
        double f1Sum = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            double precision = c[1] == 0 ? 0 : (double) c[0] / c[1];
            double recall = c[2] == 0 ? 0 : (double) c[0] / c[2];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            per.put(e.getKey(), new ClassMetrics(precision, recall, f1, c[2]));
            f1Sum += f1;
        }
        return new Metrics((double) correct / truth.size(), f1Sum / per.size(), per, 0, truth.size());
    }
}
