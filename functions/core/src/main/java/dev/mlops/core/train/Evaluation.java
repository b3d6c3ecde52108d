package dev.mlops.core.train;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates a predictor on rows of a table, going through the same validation and encoding as production
 * requests. Used both for a freshly trained model and for the current champion on the same test rows.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * Evaluates a predictor.
     *
     * @param predictor the model
     * @param t         the table
     * @param s         the table's schema (feature columns are taken from the predictor's signature)
     * @param rows      0-based data row indices to evaluate, e.g. {@link Split#testRows()}; must be non-empty
     * @return metrics with {@code trainRows} 0 and {@code testRows} = number of rows
     * @throws IllegalArgumentException if a row has a missing label or a feature column of the signature is
     *                                  missing from the table
     */
    public static Metrics evaluate(Predictor predictor, CsvTable t, Schema s, List<Integer> rows) {
        Scored scored = predict(predictor, t, s, rows);
        return score(scored.truth(), scored.predicted(), predictor.probabilistic());
    }

    /** True labels and predictions of some rows, in the rows' order. */
    record Scored(List<String> truth, List<Prediction> predicted) {
    }

    /** Predicts rows through the production path; see {@link #evaluate}. */
    static Scored predict(Predictor predictor, CsvTable t, Schema s, List<Integer> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to evaluate");
        }
        int li = t.columnIndex(s.label());
        if (li < 0) {
            throw new IllegalArgumentException("label column \"" + s.label() + "\" is not in the table");
        }
        List<Column> features = predictor.signature().features();
        int[] idx = new int[features.size()];
        for (int f = 0; f < idx.length; f++) {
            idx[f] = t.columnIndex(features.get(f).name());
            if (idx[f] < 0) {
                throw new IllegalArgumentException("feature column \"" + features.get(f).name()
                        + "\" is not in the table");
            }
        }
        List<String> truth = new ArrayList<>(rows.size());
        List<Prediction> predicted = new ArrayList<>(rows.size());
        for (int start = 0; start < rows.size(); start += Predictor.MAX_INSTANCES) {
            List<Integer> batch = rows.subList(start, Math.min(rows.size(), start + Predictor.MAX_INSTANCES));
            List<Map<String, Object>> instances = new ArrayList<>(batch.size());
            for (int r : batch) {
                List<String> row = t.rows().get(r);
                Map<String, Object> inst = new HashMap<>();
                for (int f = 0; f < idx.length; f++) {
                    inst.put(features.get(f).name(), row.get(idx[f]));
                }
                instances.add(inst);
                String label = row.get(li);
                if (dev.mlops.core.data.Missing.isMissing(label)) {
                    throw new IllegalArgumentException("row " + r + " (line " + (r + 2) + ") has no label");
                }
                truth.add(label.trim());
            }
            predicted.addAll(predictor.predict(instances));
        }
        return new Scored(truth, predicted);
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
    public static Metrics score(List<String> truth, List<Prediction> predicted, boolean probabilities) {
        Metrics labels = score(truth, predicted.stream().map(Prediction::label).toList());
        Map<String, Map<String, Long>> confusion = new TreeMap<>();
        for (String c : labels.perClass().keySet()) {
            Map<String, Long> row = new TreeMap<>();
            labels.perClass().keySet().forEach(p -> row.put(p, 0L));
            confusion.put(c, row);
        }
        for (int i = 0; i < truth.size(); i++) {
            confusion.get(truth.get(i)).merge(predicted.get(i).label(), 1L, Long::sum);
        }
        Double logLoss = null;
        if (probabilities) {
            double[] losses = new double[truth.size()];
            for (int i = 0; i < truth.size(); i++) {
                Double p = predicted.get(i).scores().get(truth.get(i));
                double q = p == null || p.isNaN() ? 0 : p;
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
        List<String> classes = predicted.isEmpty() ? List.of() : List.copyOf(predicted.get(0).scores().keySet());
        TreeSet<String> sorted = new TreeSet<>(classes);
        if (sorted.size() == 2) {
            String positive = sorted.last();
            double[] scores = new double[truth.size()];
            boolean[] pos = new boolean[truth.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = predicted.get(i).scores().getOrDefault(positive, 0.0);
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
    public static Metrics score(List<String> truth, List<String> predicted) {
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
