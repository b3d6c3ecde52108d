package dev.mlops.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mlops.core.Json;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Numbers;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.ValidationReport;
import dev.mlops.core.data.Validator;
import dev.mlops.core.model.FeatureEncoder;
import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Trains a classification model from a validated table.
 *
 * <p>Steps: {@link Validator validate} (invalid data is refused with the first problem), {@link SplitSpec#split
 * split by row hash}, train on the training rows (in hash order, so row order in the file does not matter), serialise to Tribuo protobuf, load the bytes back through
 * {@link Predictor#load} and evaluate on the test rows.
 *
 * <p>Algorithm {@value #LOGISTIC_REGRESSION}: Tribuo's multinomial logistic regression
 * ({@link LinearSGDTrainer} with the {@link LogMulticlass} objective and {@link AdaGrad}, exactly what
 * {@code LogisticRegressionTrainer} configures, but with a configurable seed and epochs) wrapped in a
 * {@link TransformTrainer} that standardises every numeric feature with a non-constant training column
 * ({@link MeanStdDevTransformation}); one-hot categorical features are left as 0/1. Missing values are absent
 * features, i.e. the (standardised) mean.
 *
 * <p>Training is deterministic: the same table and configuration give byte-identical artifacts (the provenance
 * training time is fixed, see {@link DeterministicProvenance}).
 */
public final class ModelTrainer {

    /** Name of the logistic regression algorithm. */
    public static final String LOGISTIC_REGRESSION = "logistic-regression";
    /** Supported algorithm names. */
    public static final List<String> SUPPORTED_ALGORITHMS = List.of(LOGISTIC_REGRESSION);

    private static final Set<String> LR_PARAMS = Set.of("epochs", "learningRate", "minibatchSize");
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
     * @param split the rows to train on and to evaluate on, or {@code null} for the split of {@code c}
     * @return artifact, signature, test metrics and provenance
     * @throws IllegalArgumentException as {@link #train(CsvTable, Schema, TrainingConfig)}, or if the split is
     *                                  empty on either side or refers to rows outside the table
     */
    public static TrainingResult train(CsvTable t, Schema s, TrainingConfig c, Split split) {
        Trainer<Label> inner = innerTrainer(c);
        ValidationReport report = Validator.validate(t, s);
        if (!report.valid()) {
            throw new IllegalArgumentException("invalid training data: " + report.problems().get(0).message()
                    + (report.problemCount() > 1 ? " (and " + (report.problemCount() - 1) + " more problems)" : ""));
        }
        if (split == null) {
            split = c.split().split(t, s);
        }
        checkSplit(split, t.rows().size());
        ModelSignature signature = new ModelSignature(s.features(), s.label(),
                new ArrayList<>(report.labelCounts().keySet()));

        Model<Label> model = fit(t, s, signature, inner, split.trainRows());
        byte[] bytes = model.serialize().toByteArray();
        ModelArtifact artifact = ModelArtifact.of(bytes, model.serialize().getClassName());

        Predictor predictor = Predictor.load(artifact, signature);
        Metrics metrics = Evaluation.evaluate(predictor, t, s, split.testRows())
                .withTrainRows(split.trainRows().size());
        return new TrainingResult(artifact, signature, metrics, provenanceJson(model));
    }

    /** Trains the (provenance-normalised) model on the given rows; package-private for tests. */
    static Model<Label> fit(CsvTable t, Schema s, TrainingConfig c, ModelSignature signature, List<Integer> trainRows) {
        return fit(t, s, signature, innerTrainer(c), trainRows);
    }

    private static Model<Label> fit(CsvTable t, Schema s, ModelSignature signature, Trainer<Label> inner,
                                    List<Integer> trainRows) {
        LabelFactory factory = new LabelFactory();
        String dataHash = hashRows(t, trainRows);
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(
                "mlops training rows: " + trainRows.size() + " rows, sha256 " + dataHash,
                DeterministicProvenance.FIXED_TIME, factory), factory);
        FeatureEncoder encoder = new FeatureEncoder(signature);
        int li = t.columnIndex(s.label());
        for (int r : trainRows) {
            List<String> row = t.rows().get(r);
            Map<String, String> values = new HashMap<>();
            for (Column col : s.features()) {
                values.put(col.name(), row.get(t.columnIndex(col.name())));
            }
            dataset.add(encoder.toExample(values, r, factory.generateOutput(row.get(li).trim())));
        }

        TransformTrainer<Label> trainer = new TransformTrainer<>(inner,
                new TransformationMap(standardisation(t, s, trainRows)));
        return DeterministicProvenance.normalise(trainer.train(dataset));
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
        for (List<Integer> rows : List.of(split.trainRows(), split.testRows())) {
            for (int r : rows) {
                if (r < 0 || r >= n) {
                    throw new IllegalArgumentException("split refers to row " + r + " but the table has " + n + " rows");
                }
            }
        }
    }

    private static Trainer<Label> innerTrainer(TrainingConfig c) {
        if (!LOGISTIC_REGRESSION.equals(c.algorithm())) {
            throw new IllegalArgumentException("unknown algorithm \"" + c.algorithm() + "\"; supported: "
                    + String.join(", ", SUPPORTED_ALGORITHMS));
        }
        for (String k : c.hyperParameters().keySet()) {
            if (!LR_PARAMS.contains(k)) {
                throw new IllegalArgumentException("unknown hyper-parameter \"" + k + "\" for " + LOGISTIC_REGRESSION
                        + "; supported: " + String.join(", ", new java.util.TreeSet<>(LR_PARAMS)));
            }
        }
        int epochs = intParam(c, "epochs", 50);
        double lr = doubleParam(c, "learningRate", 1.0);
        int minibatch = intParam(c, "minibatchSize", 1);
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(lr, 0.1), epochs, -1, minibatch, c.seed());
    }

    private static int intParam(TrainingConfig c, String key, int dflt) {
        String v = c.hyperParameters().get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < 1) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be a positive integer, got \""
                    + v + "\"");
        }
    }

    private static double doubleParam(TrainingConfig c, String key, double dflt) {
        String v = c.hyperParameters().get(key);
        if (v == null) {
            return dflt;
        }
        if (!Numbers.isNumber(v) || Numbers.parse(v) <= 0) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be a positive number, got \""
                    + v + "\"");
        }
        return Numbers.parse(v);
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
                        map.put(col.name(), List.of(new MeanStdDevTransformation()));
                        break;
                    }
                }
            }
        }
        return map;
    }

    private static String hashRows(CsvTable t, List<Integer> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join("\u001f", t.header())).append('\u001e');
        for (int r : rows) {
            sb.append(String.join("\u001f", t.rows().get(r))).append('\u001e');
        }
        return Sha256.hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

}
