package dev.mlops.core.train;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.DenseTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.model.DenseFeatures;
import dev.mlops.core.model.DenseScorer;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.Scores;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * Evaluates a predictor on rows of a table, going through the same validation and encoding as production
 * requests. Used both for a freshly trained model and for the current champion on the same test rows. Training
 * scores a family that has its own batch scoring on dense arrays instead ({@link #scoreDense}): 400,000 rows
 * through the request path took 449 s of XGBoost's time, its booster scores them in about 1.5 s.
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
        return Classification.TASK.evaluate(scored.truth(), scored.scores());
    }

    /**
     * Evaluates a predictor on rows of a dense table, with the model's own batch scoring where its family has one
     * (see {@link #scoreDense}).
     *
     * @param predictor the model
     * @param family    its family
     * @param table     the rows, densely
     * @param rows      0-based row indices to evaluate; must be non-empty and labelled
     * @return metrics with {@code trainRows} 0 and {@code testRows} = number of rows
     */
    public static Metrics evaluate(Predictor predictor, Family family, DenseTable table, List<Integer> rows) {
        Scored scored = scoreDense(predictor, family, table, rows);
        return Classification.TASK.evaluate(scored.truth(), scored.scores());
    }

    /** True labels and the model's answers for some rows, in the rows' order. */
    record Scored(List<String> truth, Scores scores) {
    }

    /** Rows per dense batch: a 65,536-row matrix of 100 features is 26 MB. */
    private static final int DENSE_BATCH = 65_536;

    /**
     * Scores rows of a dense table with the model's own batch scoring ({@link Family#denseScorer}: whole float
     * matrices, no request map or Tribuo example per row); a model without one is scored as requests are, from
     * the table's cells.
     *
     * @param predictor the model
     * @param family    its family
     * @param table     the rows, densely
     * @param rows      row indices to score (labelled rows); must be non-empty
     */
    static Scored scoreDense(Predictor predictor, Family family, DenseTable table, List<Integer> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to evaluate");
        }
        Model<Label> model = predictor.model();
        Optional<DenseScorer> own = family.denseScorer(model);
        List<String> truth = new ArrayList<>(rows.size());
        int[] labels = table.labels();
        for (int r : rows) {
            if (labels[r] < 0) {
                throw new IllegalArgumentException("row " + r + " (line " + (r + 2) + ") has no label");
            }
            truth.add(table.classes().get(labels[r]));
        }
        if (own.isEmpty()) {
            return new Scored(truth, predictFromDense(predictor, table, rows));
        }
        ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
        int k = outputs.size();
        List<String> classes = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            classes.add(outputs.getOutput(c).getLabel());
        }
        DenseFeatures.Layout layout = new DenseFeatures(table).layout(model.getFeatureIDMap());
        int[] predicted = new int[rows.size()];
        double[] scores = new double[rows.size() * k];
        try (DenseScorer scorer = own.get()) {
            for (int start = 0; start < rows.size(); start += DENSE_BATCH) {
                int n = Math.min(DENSE_BATCH, rows.size() - start);
                int[] batch = new int[n];
                for (int i = 0; i < n; i++) {
                    batch[i] = rows.get(start + i);
                }
                double[] part = scorer.scores(layout.matrix(batch), n);
                System.arraycopy(part, 0, scores, start * k, n * k);
            }
        }
        for (int i = 0; i < predicted.length; i++) {
            // The first class of the highest score, as Tribuo's converter picks it.
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (scores[i * k + c] > scores[i * k + best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return new Scored(truth, new Scores(classes, predicted, scores, predictor.probabilistic()));
    }

    /** A model without its own batch scoring: requests built from the dense cells. */
    private static Scores predictFromDense(Predictor predictor, DenseTable table, List<Integer> rows) {
        List<Column> features = predictor.signature().features();
        List<Column> columns = table.schema().features();
        int[] idx = new int[features.size()];
        for (int f = 0; f < idx.length; f++) {
            idx[f] = columns.indexOf(features.get(f));
            if (idx[f] < 0) {
                throw new IllegalArgumentException("feature column \"" + features.get(f).name()
                        + "\" is not in the table");
            }
        }
        List<Prediction> predicted = new ArrayList<>(rows.size());
        for (int start = 0; start < rows.size(); start += Predictor.MAX_INSTANCES) {
            List<Integer> batch = rows.subList(start, Math.min(rows.size(), start + Predictor.MAX_INSTANCES));
            List<Map<String, Object>> instances = new ArrayList<>(batch.size());
            for (int r : batch) {
                Map<String, Object> inst = new HashMap<>();
                for (int f = 0; f < idx.length; f++) {
                    int c = idx[f];
                    Object v = table.numeric(c) ? (Object) (Float.isNaN(table.numbers(c)[r]) ? null
                            : (double) table.numbers(c)[r])
                            : (table.codes(c)[r] < 0 ? null : table.categories(c).get(table.codes(c)[r]));
                    inst.put(features.get(f).name(), v);
                }
                instances.add(inst);
            }
            predicted.addAll(predictor.predict(instances));
        }
        return Scores.of(predicted, predictor.probabilistic());
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
                truth.add(Classification.TASK.label(label));
            }
            predicted.addAll(predictor.predict(instances));
        }
        return new Scored(truth, Scores.of(predicted, predictor.probabilistic()));
    }
}
