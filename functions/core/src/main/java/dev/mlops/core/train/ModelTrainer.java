package dev.mlops.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mlops.core.Json;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.DenseTable;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Numbers;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.ValidationReport;
import dev.mlops.core.data.Validator;
import dev.mlops.core.model.DenseFeatures;
import dev.mlops.core.model.FeatureEncoder;
import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.Scores;
import dev.mlops.core.model.TrainingRows;
import dev.mlops.core.model.family.DenseTrainer;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.task.DecisionThreshold;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.model.task.Task;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Trains a model of one {@link Family} for the schema's task ({@link Task}: a classification or a regression) from
 * a validated table.
 *
 * <p>Steps: {@link Validator validate} (invalid data is refused with the first problem), {@link SplitSpec#split
 * split by row hash} (with the {@link RareClasses rare-class rule}), fit on the training rows (in hash order, so
 * row order in the file does not matter), score the validation rows (model selection), refit on training +
 * validation rows when asked, serialise to Tribuo protobuf, load the bytes back through {@link Predictor#load}
 * and evaluate on the test rows. A binary classifier's decision threshold is chosen on the validation predictions
 * ({@link DecisionThreshold}, by the configuration's rule) and travels in its signature.
 *
 * <p>A family that trains from arrays ({@link Family#trainsFromArrays}: XGBoost's classification) reads the rows
 * as a {@link DenseTable} (a primitive array per column, no Tribuo example per row), watches the validation rows
 * (or the held-out fold) to stop early, and is scored on dense arrays by its own batch scoring ({@link
 * Evaluation#scoreDense}); its model is stored bare, as trees need no scaling.
 *
 * <p>Preprocessing travels inside the artifact: every other family is wrapped in a {@link TransformTrainer} that
 * standardises each numeric feature with a non-constant training column ({@link MeanStdDevTransformation},
 * statistics of the training rows). A missing value is an absent feature, which Tribuo leaves absent: for the
 * linear models and the trees that means 0 in standardised units, i.e. the training mean (mean imputation, as
 * scikit-learn's {@code SimpleImputer}); XGBoost treats it as missing and learns a default direction.
 * Categorical features are one-hot ({@code column=value}, see {@link FeatureEncoder}); a category never seen in
 * training is unknown to the model, which ignores it (all of that column's indicators 0). Class imbalance:
 * {@value dev.mlops.core.model.family.Family#CLASS_WEIGHT} {@code balanced} weights every example by {@code n / (classes × n_class)}.
 *
 * <p>Training is deterministic: the same table and configuration give the same metrics and predictions, and for
 * the pure-Java families byte-identical artifacts (the provenance training time is fixed, see
 * {@link DeterministicProvenance}).
 */
public final class ModelTrainer {

    private static final ObjectWriter JSON = Json.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ModelTrainer() {
    }

    /**
     * Validates, splits, trains and evaluates.
     *
     * @param t the table
     * @param s its schema
     * @param c the configuration
     * @return artifact, signature, test metrics and provenance
     * @throws IllegalArgumentException if the data is invalid (message = first problem), the algorithm is unknown,
     *                                  or a hyper-parameter is unknown or malformed
     * @throws IllegalStateException    if the family cannot run here (XGBoost without its native library)
     */
    public static TrainingResult train(CsvTable t, Schema s, TrainingConfig c) {
        return train(t, s, c, null);
    }

    /**
     * Like {@link #train(CsvTable, Schema, TrainingConfig)} but with a caller-provided split (for example a fixed
     * reference split); the configuration's {@link TrainingConfig#split()} is then ignored.
     *
     * @param t     the table
     * @param s     its schema
     * @param c     the configuration
     * @param split the rows to train on, to select on (may be empty) and to evaluate on, or {@code null} for the
     *              split of {@code c}
     * @return artifact, signature, test metrics and provenance
     * @throws IllegalArgumentException as {@link #train(CsvTable, Schema, TrainingConfig)}, or if the split is
     *                                  empty on either side or refers to rows outside the table
     */
    public static TrainingResult train(CsvTable t, Schema s, TrainingConfig c, Split split) {
        return train(Task.of(s.task()), t, s, c, split);
    }

    private static <T extends Output<T>> TrainingResult train(Task<T> task, CsvTable t, Schema s, TrainingConfig c,
                                                               Split split) {
        Family family = Family.require(c.algorithm());
        if (!family.supports(task)) {
            throw new IllegalArgumentException("family " + family.id() + " has no " + task.id() + " trainer; the "
                    + task.id() + " families are " + String.join(", ", Family.ids(task)));
        }
        family.check(c.hyperParameters());
        family.unavailableReason().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        ValidationReport report = Validator.validate(t, s);
        if (!report.valid()) {
            throw new IllegalArgumentException("invalid training data: " + report.problems().get(0).message()
                    + (report.problemCount() > 1 ? " (and " + (report.problemCount() - 1) + " more problems)" : ""));
        }
        List<RareClasses.Move> moves = List.of();
        if (split == null) {
            split = c.split().split(t, s);
            if (!s.regression()) {
                RareClasses.Adjusted adjusted = RareClasses.adjust(t, s, c.split(), split);
                split = adjusted.split();
                moves = adjusted.moves();
            }
        }
        checkSplit(split, t.rows().size());
        ModelSignature signature = new ModelSignature(s.features(), s.label(),
                s.regression() ? List.of() : new ArrayList<>(report.labelCounts().keySet()), task.id(), null);

        Data d = new Data(t, s, family.trainsFromArrays(task) ? DenseTable.of(t, s) : null);
        Fitted<T> fitted;
        Evaluation.Scored selection = null;
        boolean probabilistic = true;
        List<Integer> finalRows = split.trainRows();
        boolean refitted = false;
        long selectionNanos = 0;
        long fitNanos;
        if (c.folds() >= 2) {
            // k-fold cross-validation over training + validation rows; the shipped model is fitted on all of them.
            finalRows = hashOrder(t, s, c.split(), split.trainRows(), split.validationRows());
            long started = System.nanoTime();
            CrossValidated cv = crossValidate(task, d, signature, family, c, finalRows);
            selection = cv.scored();
            probabilistic = cv.probabilistic();
            selectionNanos = System.nanoTime() - started;
            started = System.nanoTime();
            fitted = fit(task, d, signature, family, c, finalRows, List.of(), cv.chosen());
            fitNanos = System.nanoTime() - started;
            refitted = true;
        } else {
            long started = System.nanoTime();
            fitted = fit(task, d, signature, family, c, split.trainRows(), split.validationRows(), Map.of());
            fitNanos = System.nanoTime() - started;
            if (!split.validationRows().isEmpty()) {
                Predictor first = Predictor.of(fitted.model(), task, signature);
                selection = score(d, family, first, split.validationRows());
                probabilistic = first.probabilistic();
            }
            if (c.refit() && !split.validationRows().isEmpty()) {
                finalRows = hashOrder(t, s, c.split(), split.trainRows(), split.validationRows());
                selectionNanos = fitNanos;
                started = System.nanoTime();
                fitted = fit(task, d, signature, family, c, finalRows, List.of(), fitted.chosen());
                fitNanos = System.nanoTime() - started;
                refitted = true;
            }
        }
        if (signature.classes().size() == 2) {
            signature = signature.withThreshold(selection == null
                    ? new ModelSignature.Threshold(DecisionThreshold.positiveClass(signature.classes(), c.threshold()),
                    0.5, ModelSignature.Threshold.DEFAULT, "the model's own decision: no validation rows to tune a"
                    + " threshold on")
                    : DecisionThreshold.choose(signature.classes(), c.threshold(), selection.truth(),
                    selection.predicted()));
        }
        Metrics validation = null;
        if (selection != null) {
            List<Prediction> decided = signature.threshold() == null ? selection.predicted()
                    : DecisionThreshold.apply(signature.classes(), signature.threshold(), selection.predicted());
            validation = task.evaluate(selection.truth(), decided, probabilistic)
                    .withTrainRows(c.folds() >= 2 ? finalRows.size() * (c.folds() - 1) / c.folds()
                            : split.trainRows().size());
        }
        Model<T> model = fitted.model();
        // Serialised once: a forest's protobuf is large and slow to build.
        org.tribuo.protos.core.ModelProto proto = model.serialize();
        byte[] bytes = proto.toByteArray();
        ModelArtifact artifact = ModelArtifact.of(bytes, proto.getClassName());
        Predictor predictor = Predictor.load(artifact, signature);
        Metrics metrics = evaluate(d, family, predictor, split.testRows()).withTrainRows(finalRows.size());
        String prov = provenanceJson(model);
        return new TrainingResult(artifact, signature, metrics, prov, validation,
                fitted.hyperParameters(), fitNanos / 1_000_000, refitted, moves, selectionNanos / 1_000_000,
                c.folds() >= 2 ? c.folds() : 0);
    }

    /**
     * Pooled out-of-fold predictions, whether every fold's model gave probabilities, and what the folds' fits
     * settled (averaged) for the fit on all rows.
     */
    private record CrossValidated(Evaluation.Scored scored, boolean probabilistic, Map<String, String> chosen) {
    }

    /**
     * Out-of-fold predictions: row r (in {@code rows}, hash order) is in fold {@code hash(r) mod k}; each fold is
     * scored by a model fitted on the other folds (which may watch the fold to stop early, as {@code xgb.cv}
     * does), and all out-of-fold predictions are pooled.
     */
    private static <T extends Output<T>> CrossValidated crossValidate(Task<T> task, Data d, ModelSignature signature,
                                                                      Family family, TrainingConfig c,
                                                                      List<Integer> rows) {
        CsvTable t = d.table();
        Schema s = d.schema();
        int k = c.folds();
        int[] columns = SplitSpec.columns(t, s);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        for (int r : rows) {
            long h = c.split().hashOf(SplitSpec.cells(t.rows().get(r), columns));
            folds.get((int) Long.remainderUnsigned(h, k)).add(r);
        }
        List<String> truth = new ArrayList<>();
        List<List<Prediction>> predicted = new ArrayList<>();
        boolean probabilities = true;
        List<Map<String, String>> chosen = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            if (folds.get(f).isEmpty()) {
                continue;
            }
            // The other folds' rows, in hash order as every fit takes them.
            java.util.Set<Integer> inFold = new java.util.HashSet<>(folds.get(f));
            List<Integer> fitRows = rows.stream().filter(r -> !inFold.contains(r)).toList();
            if (fitRows.isEmpty()) {
                continue;
            }
            Fitted<T> fitted = fit(task, d, signature, family, c, fitRows, folds.get(f), Map.of());
            chosen.add(fitted.chosen());
            Predictor p = Predictor.of(fitted.model(), task, signature);
            probabilities &= p.probabilistic();
            Evaluation.Scored scored = score(d, family, p, folds.get(f));
            truth.addAll(scored.truth());
            predicted.add(scored.predicted());
        }
        if (truth.isEmpty()) {
            throw new IllegalArgumentException("cross-validation needs at least two rows to train and validate on");
        }
        return new CrossValidated(new Evaluation.Scored(truth, Scores.join(predicted)), probabilities,
                mean(chosen));
    }

    /** Each setting the folds settled, as the rounded mean of their integer values. */
    private static Map<String, String> mean(List<Map<String, String>> chosen) {
        Map<String, long[]> sums = new TreeMap<>();
        for (Map<String, String> m : chosen) {
            m.forEach((key, value) -> {
                long[] sum = sums.computeIfAbsent(key, x -> new long[2]);
                sum[0] += Long.parseLong(value);
                sum[1]++;
            });
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((key, sum) -> out.put(key, Long.toString(Math.round((double) sum[0] / sum[1]))));
        return out;
    }

    /** Scores rows: on the model's own dense batch scoring where its family has one, else as requests are. */
    private static Evaluation.Scored score(Data d, Family family, Predictor predictor, List<Integer> rows) {
        return d.dense() != null ? Evaluation.scoreDense(predictor, family, d.dense(), rows)
                : Evaluation.predict(predictor, d.table(), d.schema(), rows);
    }

    /** Metrics of rows, scored as {@link #score} scores them. */
    private static Metrics evaluate(Data d, Family family, Predictor predictor, List<Integer> rows) {
        return d.dense() != null ? Evaluation.evaluate(predictor, family, d.dense(), rows)
                : Evaluation.evaluate(predictor, d.table(), d.schema(), rows);
    }

    /** Trains the (provenance-normalised) model on the given rows; package-private for tests. */
    static Model<?> fit(CsvTable t, Schema s, TrainingConfig c, ModelSignature signature, List<Integer> trainRows) {
        Task<?> task = Task.of(s.task());
        Family family = Family.require(c.algorithm());
        Data d = new Data(t, s, family.trainsFromArrays(task) ? DenseTable.of(t, s) : null);
        return fit(task, d, signature, family, c, trainRows, List.of(), Map.of()).model();
    }

    /** The table, and its dense form when the family trains from arrays. */
    private record Data(CsvTable table, Schema schema, DenseTable dense) {
    }

    /**
     * A fitted model, its effective hyper-parameters, and what the fit settled itself (for the refit, see
     * {@link DenseTrainer.Fit#chosen()}).
     */
    private record Fitted<T extends Output<T>>(Model<T> model, Map<String, String> hyperParameters,
                                               Map<String, String> chosen) {
    }

    /**
     * Fits on {@code trainRows}; {@code watch} are rows the fit may watch to stop early (validation rows, never
     * test rows) and {@code settled} replaces hyper-parameters with what an earlier fit of the candidate settled.
     */
    private static <T extends Output<T>> Fitted<T> fit(Task<T> task, Data d, ModelSignature signature, Family family,
                                                       TrainingConfig c, List<Integer> trainRows, List<Integer> watch,
                                                       Map<String, String> settled) {
        Map<String, String> params = new TreeMap<>(c.hyperParameters());
        params.putAll(settled);
        if (d.dense() != null) {
            return fitDense(task, d, family, c, params, trainRows, watch);
        }
        CsvTable t = d.table();
        Schema s = d.schema();
        OutputFactory<T> factory = task.outputFactory();
        MutableDataset<T> dataset = new MutableDataset<>(source(t, trainRows, factory), factory);
        FeatureEncoder encoder = new FeatureEncoder(signature);
        int li = t.columnIndex(s.label());
        int[] columns = new int[s.features().size()];
        for (int f = 0; f < columns.length; f++) {
            columns[f] = t.columnIndex(s.features().get(f).name());
        }
        for (int r : trainRows) {
            List<String> row = t.rows().get(r);
            Map<String, String> values = new HashMap<>();
            for (int f = 0; f < columns.length; f++) {
                values.put(s.features().get(f).name(), row.get(columns[f]));
            }
            dataset.add(new ArrayExample<>(task.output(row.get(li)), encoder.encode(values, r)));
        }
        Family.Configured<T> configured = family.configure(task, params, c.seed(),
                new Family.Shape(dataset.getFeatureMap().size(), dataset.size(),
                        s.regression() ? 1 : dataset.getOutputInfo().size(), labelScale(dataset)));
        if (configured.balanced()) {
            balance(dataset);
        }
        TransformTrainer<T> trainer = new TransformTrainer<>(configured.trainer(),
                new TransformationMap(standardisation(t, s, trainRows)));
        return new Fitted<>(DeterministicProvenance.normalise(trainer.train(dataset)), configured.effective(),
                Map.of());
    }

    /**
     * A family that trains from arrays (a classification): the rows as a dense table's, no Tribuo example per row,
     * no standardising wrapper.
     */
    @SuppressWarnings("unchecked")
    private static <T extends Output<T>> Fitted<T> fitDense(Task<T> task, Data d, Family family, TrainingConfig c,
                                                            Map<String, String> params, List<Integer> trainRows,
                                                            List<Integer> watch) {
        if (task.outputClass() != Label.class) {
            throw new IllegalStateException(family.id() + " trains a " + task.id() + " from examples, not arrays");
        }
        int[] rows = trainRows.stream().mapToInt(Integer::intValue).toArray();
        TrainingRows training = new TrainingRows(new DenseFeatures(d.dense()), rows, null,
                source(d.table(), trainRows, task.outputFactory()),
                watch.stream().mapToInt(Integer::intValue).toArray());
        Family.Configured<T> configured = family.configure(task, params, c.seed(), new Family.Shape(
                training.featureMap().size(), rows.length, training.outputInfo().size()));
        if (configured.balanced()) {
            training = training.withWeights(balancedWeights(d.dense().labels(), rows));
        }
        DenseTrainer.Fit fit = ((DenseTrainer) configured.trainer()).train(training);
        Map<String, String> effective = new TreeMap<>(configured.effective());
        effective.putAll(fit.chosen());
        return new Fitted<>((Model<T>) DeterministicProvenance.normalise(fit.model()), effective, fit.chosen());
    }

    /** The training rows' provenance: their count and a hash of their text. */
    private static <T extends Output<T>> DataProvenance source(CsvTable t, List<Integer> trainRows,
                                                               OutputFactory<T> factory) {
        return new SimpleDataSourceProvenance("mlops training rows: " + trainRows.size() + " rows, sha256 "
                + hashRows(t, trainRows), DeterministicProvenance.FIXED_TIME, factory);
    }

    /** n / (classes × n_class) per row, as {@link #balance} weighs examples. */
    private static float[] balancedWeights(int[] labels, int[] rows) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int r : rows) {
            counts.merge(labels[r], 1, Integer::sum);
        }
        float[] w = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            w[i] = (float) (rows.length / (counts.size() * (double) counts.get(labels[rows[i]])));
        }
        return w;
    }

    /** A regression label's standard deviation on the training rows (1 for a classification or a constant). */
    private static <T extends Output<T>> double labelScale(MutableDataset<T> dataset) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (Example<T> e : dataset) {
            if (!(e.getOutput() instanceof org.tribuo.regression.Regressor r)) {
                return 1.0;
            }
            double v = r.getValues()[0];
            sum += v;
            squares += v * v;
            n++;
        }
        double variance = n == 0 ? 0 : squares / n - (sum / n) * (sum / n);
        return variance > 0 ? Math.sqrt(variance) : 1.0;
    }

    /**
     * Weights every example by n / (classes × n_class), as scikit-learn's class_weight="balanced" (classification
     * only: a regression refuses {@code balanced} when it is configured).
     */
    private static <T extends Output<T>> void balance(MutableDataset<T> dataset) {
        Map<String, Integer> counts = new HashMap<>();
        for (Example<T> e : dataset) {
            counts.merge(e.getOutput().toString(), 1, Integer::sum);
        }
        double n = dataset.size();
        for (Example<T> e : dataset) {
            e.setWeight((float) (n / (counts.size() * (double) counts.get(e.getOutput().toString()))));
        }
    }

    /** Training and validation rows together, in hash order (so the refit, too, ignores the file's order). */
    private static List<Integer> hashOrder(CsvTable t, Schema s, SplitSpec spec, List<Integer> a, List<Integer> b) {
        int[] columns = SplitSpec.columns(t, s);
        record Hashed(int row, long hash) {
        }
        List<Hashed> rows = new ArrayList<>();
        for (List<Integer> part : List.of(a, b)) {
            for (int r : part) {
                rows.add(new Hashed(r, spec.hashOf(SplitSpec.cells(t.rows().get(r), columns))));
            }
        }
        rows.sort(java.util.Comparator.comparingLong(Hashed::hash).thenComparingInt(Hashed::row));
        return rows.stream().map(Hashed::row).toList();
    }

    /**
     * Tribuo's provenance of a model as a JSON object (keys sorted).
     *
     * @param model the model
     * @return JSON text
     */
    public static String provenanceJson(Model<?> model) {
        try {
            return JSON.writeValueAsString(ProvenanceUtil.convertToMap(model.getProvenance()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write provenance as JSON", e);
        }
    }

    private static void checkSplit(Split split, int n) {
        if (split.trainRows().isEmpty() || split.testRows().isEmpty()) {
            throw new IllegalArgumentException("split needs at least one training and one test row");
        }
        for (List<Integer> rows : List.of(split.trainRows(), split.validationRows(), split.testRows())) {
            for (int r : rows) {
                if (r < 0 || r >= n) {
                    throw new IllegalArgumentException("split refers to row " + r + " but the table has " + n + " rows");
                }
            }
        }
    }

    /** Per-feature standardisation for numeric columns that are not constant on the training rows. */
    private static Map<String, List<Transformation>> standardisation(CsvTable t, Schema s, List<Integer> rows) {
        Map<String, List<Transformation>> map = new TreeMap<>();
        for (Column col : s.features()) {
            if (col.type() != ColumnType.NUMERIC) {
                continue;
            }
            int idx = t.columnIndex(col.name());
            Set<Double> distinct = new HashSet<>();
            for (int r : rows) {
                String cell = t.rows().get(r).get(idx);
                if (!Missing.isMissing(cell)) {
                    distinct.add(Numbers.parse(cell));
                    if (distinct.size() > 1) {
                        // Tribuo reads these keys as regular expressions: quote them (letter.csv has "x.box").
                        map.put(Pattern.quote(col.name()), List.of(new MeanStdDevTransformation()));
                        break;
                    }
                }
            }
        }
        return map;
    }

    /** SHA-256 of the header and rows, cells joined by U+001F and lines ended by U+001E, digested row by row. */
    private static String hashRows(CsvTable t, List<Integer> rows) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
        sha.update((String.join("\u001f", t.header()) + '\u001e').getBytes(StandardCharsets.UTF_8));
        for (int r : rows) {
            sha.update((String.join("\u001f", t.rows().get(r)) + '\u001e').getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

}
