package dev.mlops.core.train;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.task.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        return predictor.task().evaluate(scored.truth(), scored.predicted(), predictor.probabilistic());
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
                truth.add(predictor.task().label(label));
            }
            predicted.addAll(predictor.predict(instances));
        }
        return new Scored(truth, predicted);
    }
}
