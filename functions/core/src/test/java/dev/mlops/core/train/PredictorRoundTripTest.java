package dev.mlops.core.train;

import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.Classification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.task.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Model;
import org.tribuo.classification.Label;

class PredictorRoundTripTest {

    private static List<Map<String, Object>> instances(CsvTable t, Schema s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<String> row : t.rows()) {
            Map<String, Object> m = new HashMap<>();
            s.features().forEach(c -> m.put(c.name(), row.get(t.columnIndex(c.name()))));
            out.add(m);
        }
        return out;
    }

    @Test
    void load_shouldGiveSamePredictionsAsInMemoryModel() {
        // GIVEN
        CsvTable wine = TestTables.file("../../data/wine.csv");
        Schema schema = Schema.infer(wine, "label");
        Split split = SplitSpec.rowHash(42, 0.3).split(wine, schema);
        ModelSignature sig = new ModelSignature(schema.features(), "label", List.of("class_0", "class_1", "class_2"));
        Model<Label> model = ModelTrainer.fit(wine, schema, TrainingConfig.defaults(), sig, split.trainRows())
                .castModel(Label.class);
        ModelArtifact artifact = ModelArtifact.of(model.serialize().toByteArray(), model.getClass().getName());
        List<Map<String, Object>> all = instances(wine, schema);
        // WHEN
        List<Prediction> inMemory = Predictor.of(model, Classification.TASK, sig).predict(all);
        List<Prediction> loaded = Predictor.load(artifact, sig).predict(all);
        // THEN
        assertThat(loaded).isEqualTo(inMemory);
        assertThat(loaded).allSatisfy(p -> {
            assertThat(p.scores().keySet()).containsExactly("class_0", "class_1", "class_2");
            assertThat(p.scores().values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(p.scores().get(p.label())).isEqualTo(
                    p.scores().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "linear-svm", "cart", "random-forest", "extra-trees", "xgboost"})
    void predict_ofABatch_shouldGiveWhatTribuoGivesEachRowAlone(String family) {
        // GIVEN a model of the family (wrapped in Tribuo's TransformedModel, as every trained model is unless its
        // family trains from arrays: XGBoost's is bare)
        CsvTable wine = TestTables.file("../../data/wine.csv");
        Schema schema = Schema.infer(wine, "label");
        ModelSignature sig = new ModelSignature(schema.features(), "label", List.of("class_0", "class_1", "class_2"));
        TrainingConfig config = new TrainingConfig(family, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
        Split split = config.split().split(wine, schema);
        Model<Label> model = ModelTrainer.fit(wine, schema, config, sig, split.trainRows()).castModel(Label.class);
        assertThat(model instanceof org.tribuo.transform.TransformedModel)
                .isEqualTo(!Family.require(family).trainsFromArrays(Classification.TASK));
        Predictor predictor = Predictor.of(model, Classification.TASK, sig);
        List<Map<String, Object>> all = instances(wine, schema);
        // WHEN the rows are scored as one batch (the model's inner model called once) and by Tribuo row by row
        List<Prediction> batch = predictor.predict(all);
        List<org.tribuo.impl.ArrayExample<Label>> examples = predictor.examples(all, all.size());
        // THEN each row gets the same label and scores
        for (int i = 0; i < all.size(); i++) {
            org.tribuo.Prediction<Label> alone = model.predict(examples.get(i));
            assertThat(batch.get(i).label()).as("row %d", i).isEqualTo(alone.getOutput().getLabel());
            // probabilities as they are (rescaled to sum to 1), other scores through a softmax
            double max = alone.getOutputScores().values().stream().mapToDouble(Label::getScore).max().orElseThrow();
            Map<String, Double> expected = new HashMap<>();
            for (String c : sig.classes()) {
                double raw = alone.getOutputScores().get(c).getScore();
                expected.put(c, predictor.probabilistic() ? raw : Math.exp(raw - max));
            }
            double sum = expected.values().stream().mapToDouble(Double::doubleValue).sum();
            for (String c : sig.classes()) {
                assertThat(batch.get(i).scores().get(c)).as("row %d %s", i, c)
                        .isCloseTo(expected.get(c) / sum, org.assertj.core.api.Assertions.within(1e-9));
            }
        }
    }

    @Test
    void predict_shouldGiveIdenticalResultsUnderConcurrentCalls() throws Exception {
        // GIVEN
        CsvTable iris = TestTables.file("../../data/iris.csv");
        Schema schema = Schema.infer(iris, "label");
        TrainingResult r = ModelTrainer.train(iris, schema, TrainingConfig.defaults());
        Predictor predictor = Predictor.load(r.artifact(), r.signature());
        List<Map<String, Object>> all = instances(iris, schema);
        List<Prediction> expected = predictor.predict(all);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // WHEN
            List<Future<List<Prediction>>> futures = IntStream.range(0, 32)
                    .mapToObj(i -> pool.submit(() -> predictor.predict(all))).toList();
            // THEN
            for (Future<List<Prediction>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void evaluate_shouldScoreChampionOnGivenRows() {
        // GIVEN
        CsvTable iris = TestTables.file("../../data/iris.csv");
        Schema schema = Schema.infer(iris, "label");
        TrainingResult r = ModelTrainer.train(iris, schema, TrainingConfig.defaults());
        Split split = TrainingConfig.defaults().split().split(iris, schema);
        // WHEN
        Metrics m = Evaluation.evaluate(Predictor.load(r.artifact(), r.signature()), iris, schema, split.testRows());
        // THEN: the same test rows the trainer used give the same metrics
        assertThat(m.withTrainRows(r.metrics().trainRows())).isEqualTo(r.metrics());
    }
}
