package dev.mlops.core.train;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.DenseTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.Split;
import dev.mlops.core.model.DenseFeatures;
import dev.mlops.core.model.DenseScorer;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.Scores;
import dev.mlops.core.model.explain.FeatureImportance;
import dev.mlops.core.model.explain.PermutationImportance;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.DecisionThreshold;
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
        return predictor.task().evaluate(scored.truth(), scored.predicted(), predictor.probabilistic());
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
        return predictor.task().evaluate(scored.truth(), scored.predicted(), predictor.probabilistic());
    }

    /**
     * True labels and predictions of some rows, in the rows' order (from dense scoring, a view of its arrays:
     * {@link Scores#predictions()}).
     */
    record Scored(List<String> truth, List<Prediction> predicted) {
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
        Model<Label> model = predictor.classificationModel();
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
        ModelSignature signature = predictor.signature();
        List<String> classes = signature.classes();
        ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
        int outputCount = outputs.size();
        // The model's output ids as the signature's classes (a fold's model may lack a class: it scores 0).
        int[] toClass = new int[outputCount];
        for (int o = 0; o < outputCount; o++) {
            toClass[o] = classes.indexOf(outputs.getOutput(o).getLabel());
        }
        int k = classes.size();
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
                for (int i = 0; i < n; i++) {
                    int row = start + i;
                    // The first output of the highest score, as Tribuo's converter picks it.
                    int best = 0;
                    double sum = 0;
                    for (int o = 0; o < outputCount; o++) {
                        double v = part[i * outputCount + o];
                        scores[row * k + toClass[o]] = v;
                        sum += v;
                        if (v > part[i * outputCount + best]) {
                            best = o;
                        }
                    }
                    predicted[row] = toClass[best];
                    normalise(scores, row * k, k, sum);
                }
            }
        }
        List<Prediction> answers = new Scores(classes, predicted, scores, predictor.probabilistic()).predictions();
        // A binary model decides by its signature's threshold, as it does for a request.
        return new Scored(truth, signature.threshold() == null ? answers
                : DecisionThreshold.apply(classes, signature.threshold(), answers));
    }

    /** XGBoost computes in float: its probabilities sum to 1 only within 1e-7; rescaled in double, as a request's. */
    private static void normalise(double[] scores, int from, int k, double sum) {
        if (sum <= 0 || Math.abs(sum - 1) < 1e-12) {
            return;
        }
        for (int c = from; c < from + k; c++) {
            scores[c] /= sum;
        }
    }

    /** A model without its own batch scoring: requests built from the dense cells. */
    private static List<Prediction> predictFromDense(Predictor predictor, DenseTable table, List<Integer> rows) {
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
        return predicted;
    }

    /** Predicts rows through the production path; see {@link #evaluate}. */
    static Scored predict(Predictor predictor, CsvTable t, Schema s, List<Integer> rows) {
        List<String> truth = new ArrayList<>(rows.size());
        List<Prediction> predicted = new ArrayList<>(rows.size());
        for (int start = 0; start < Math.max(1, rows.size()); start += Predictor.MAX_INSTANCES) {
            Labelled batch = labelled(predictor, t, s,
                    rows.subList(start, Math.min(rows.size(), start + Predictor.MAX_INSTANCES)));
            truth.addAll(batch.truth());
            predicted.addAll(predictor.predict(batch.instances()));
        }
        return new Scored(truth, predicted);
    }

    /** Rows as the model takes them, with their true classes. */
    record Labelled(List<Map<String, Object>> instances, List<String> truth) {
    }

    /** The rows' feature values (the predictor's signature's columns) and true classes; see {@link #evaluate}. */
    static Labelled labelled(Predictor predictor, CsvTable t, Schema s, List<Integer> rows) {
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
        List<Map<String, Object>> instances = new ArrayList<>(rows.size());
        for (int r : rows) {
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
        return new Labelled(instances, truth);
    }

    /**
     * The rows a split holds out for testing, by row hash, that have a label: a version's test rows as the
     * registry finds them again (rows the rare-class rule moved into the test partition are not among them).
     *
     * @param t    the table
     * @param s    its schema
     * @param spec the split the model was trained with
     * @return row indices, in table order
     */
    public static List<Integer> testRows(CsvTable t, Schema s, SplitSpec spec) {
        int[] columns = SplitSpec.columns(t, s);
        int label = t.columnIndex(s.label());
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            if (!dev.mlops.core.data.Missing.isMissing(row.get(label))
                    && spec.partitionOf(SplitSpec.cells(row, columns)) == SplitSpec.Partition.TEST) {
                rows.add(r);
            }
        }
        return rows;
    }

    /**
     * Permutation importance of every feature column on (at most {@value PermutationImportance#MAX_ROWS} of) the
     * rows, with XGBoost's gain where it applies; null for a regression model (measured by accuracy, permutation
     * importance is a classification's for now: the card and report go without it).
     *
     * @param seed the shuffles' seed
     */
    public static FeatureImportance importance(Predictor predictor, CsvTable t, Schema s, List<Integer> rows,
                                               long seed) {
        if (predictor.task() != Classification.TASK) {
            return null;
        }
        Labelled measured = labelled(predictor, t, s,
                rows.subList(0, Math.min(rows.size(), PermutationImportance.MAX_ROWS)));
        return PermutationImportance.of(predictor, measured.instances(), measured.truth(), seed);
    }
}
