package dev.mlops.core.train;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
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
        List<String> predicted = new ArrayList<>(rows.size());
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
            for (Prediction p : predictor.predict(instances)) {
                predicted.add(p.label());
            }
        }
        return score(truth, predicted);
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
