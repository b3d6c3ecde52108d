package dev.mlops.core.train;

import dev.mlops.core.model.task.ClassificationMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.testing.ReferenceSplits;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {

    @ParameterizedTest
    @ValueSource(strings = {"iris", "wine", "breast_cancer"})
    void train_shouldReachSklearnLogisticRegressionAccuracyOnReferenceSplit(String name) {
        // GIVEN
        ReferenceSplits.Combined data = ReferenceSplits.load(name);
        JsonNode baseline = ReferenceSplits.baseline(name);
        Schema schema = Schema.infer(data.table(), baseline.get("label").asText());
        // WHEN
        TrainingResult r = ModelTrainer.train(data.table(), schema, TrainingConfig.defaults(), data.split());
        // THEN
        double sklearn = baseline.get("logistic_regression").get("accuracy").asDouble();
        assertThat(r.metrics().testRows()).isEqualTo(baseline.get("test_rows").asInt());
        assertThat(r.metrics().trainRows()).isEqualTo(baseline.get("train_rows").asInt());
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).as("%s accuracy vs sklearn %s", name, sklearn)
                .isGreaterThanOrEqualTo(sklearn - 0.05);
        System.out.printf("%s: accuracy %.4f (sklearn %.4f), macroF1 %.4f%n", name, ((ClassificationMetrics) r.metrics()).accuracy(), sklearn,
                ((ClassificationMetrics) r.metrics()).macroF1());
    }

    @Test
    void train_shouldBeDeterministicForTheSameSeed() {
        // GIVEN
        CsvTable iris = TestTables.file("../../data/iris.csv");
        Schema schema = Schema.infer(iris, "label");
        // WHEN
        TrainingResult a = ModelTrainer.train(iris, schema, TrainingConfig.defaults());
        TrainingResult b = ModelTrainer.train(iris, schema, TrainingConfig.defaults());
        TrainingResult other = ModelTrainer.train(iris, schema,
                new TrainingConfig("logistic-regression", 7, SplitSpec.rowHash(7, 0.3), Map.of()));
        // THEN
        assertThat(a.artifact().sha256()).isEqualTo(b.artifact().sha256());
        assertThat(a.artifact().bytes()).isEqualTo(b.artifact().bytes());
        assertThat(a.artifact().sha256()).isEqualTo(Sha256.hex(a.artifact().bytes())).matches("[0-9a-f]{64}");
        assertThat(other.artifact().sha256()).isNotEqualTo(a.artifact().sha256());
        assertThat(a.metrics()).isEqualTo(b.metrics());
    }

    @Test
    void train_shouldProduceLoadableArtifactSignatureAndProvenance() throws Exception {
        // GIVEN
        CsvTable iris = TestTables.file("../../data/iris.csv");
        Schema schema = Schema.infer(iris, "label");
        // WHEN
        TrainingResult r = ModelTrainer.train(iris, schema, TrainingConfig.defaults());
        // THEN
        assertThat(r.artifact().modelClass()).isEqualTo("org.tribuo.transform.TransformedModel");
        assertThat(r.signature().classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(r.signature().features()).isEqualTo(schema.features());
        assertThat(r.metrics().trainRows() + r.metrics().testRows()).isEqualTo(150);
        // 30 % by row hash: 45 expected, within three standard deviations (±17)
        assertThat(r.metrics().testRows()).isEqualTo(TrainingConfig.defaults().split().split(iris, schema).testRows().size())
                .isBetween(28, 62);
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).isGreaterThan(0.85);
        JsonNode prov = dev.mlops.core.Json.MAPPER.readTree(r.provenanceJson());
        assertThat(prov.isObject()).isTrue();
        assertThat(r.provenanceJson()).contains("TransformedModel").contains("LinearSGDTrainer");
        assertThat(Predictor.load(r.artifact(), r.signature())).isNotNull();
        ObjectMapper om = dev.mlops.core.Json.MAPPER;
        TrainingResult back = om.readValue(om.writeValueAsString(r), TrainingResult.class);
        assertThat(back).isEqualTo(r);
    }

    @Test
    void train_shouldHandlePimaWithMissingValues() {
        // GIVEN
        CsvTable pima = TestTables.file("../../data/pima.csv");
        Schema schema = Schema.infer(pima, "diabetes");
        double sklearn = ReferenceSplits.baseline("pima").get("logistic_regression").get("accuracy").asDouble();
        // WHEN
        TrainingResult r = ModelTrainer.train(pima, schema, TrainingConfig.defaults());
        // THEN: a different split than sklearn's, so only a loose bound
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).isGreaterThan(sklearn - 0.10);
        assertThat(r.signature().classes()).containsExactly("neg", "pos");
    }

    @Test
    void train_shouldRefuseInvalidDataWithFirstProblem() {
        // GIVEN
        CsvTable t = TestTables.of("x,label\n1,a\n2,b\n");
        Schema schema = Schema.infer(t, "label");
        // WHEN / THEN
        assertThatThrownBy(() -> ModelTrainer.train(t, schema, TrainingConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid training data: the file has 2 data rows, at least 10 are needed");
    }

    @Test
    void train_shouldRejectUnknownAlgorithmAndHyperParameter() {
        // GIVEN
        CsvTable iris = TestTables.file("../../data/iris.csv");
        Schema schema = Schema.infer(iris, "label");
        // WHEN / THEN
        assertThatThrownBy(() -> ModelTrainer.train(iris, schema, new TrainingConfig("naive-bayes", 1, SplitSpec.rowHash(1, 0.3), Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown algorithm \"naive-bayes\"; supported: logistic-regression, linear-svm,"
                        + " linear-regression, cart, random-forest, extra-trees, xgboost");
        assertThatThrownBy(() -> ModelTrainer.train(iris, schema,
                new TrainingConfig("logistic-regression", 1, SplitSpec.rowHash(1, 0.3), Map.of("depth", "3"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown hyper-parameter \"depth\"");
        assertThatThrownBy(() -> ModelTrainer.train(iris, schema,
                new TrainingConfig("logistic-regression", 1, SplitSpec.rowHash(1, 0.3), Map.of("epochs", "-2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"epochs\" must be a positive integer");
    }

    @Test
    void defaults_shouldMatchDocumentedValues() {
        // GIVEN / WHEN
        TrainingConfig c = TrainingConfig.defaults();
        // THEN
        assertThat(c).isEqualTo(new TrainingConfig("logistic-regression", 42, SplitSpec.rowHash(42, 0.3), Map.of()));
        assertThat(c.split().testFraction()).isCloseTo(0.3, within(0.0));
    }

    @Test
    void train_shouldLearnFromCategoricalFeatureAndIgnoreUnknownCategoryAtPrediction() {
        // GIVEN: the label is determined by the colour; size is noise
        StringBuilder sb = new StringBuilder("size,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 90; i++) {
            String colour = colours[i % 3];
            sb.append(i % 7).append(',').append(colour).append(',').append(colour.equals("red") ? "hot" : "cold")
                    .append('\n');
        }
        CsvTable t = TestTables.of(sb.toString());
        Schema schema = Schema.infer(t, "label");
        // WHEN
        TrainingResult r = ModelTrainer.train(t, schema, TrainingConfig.defaults());
        Predictor p = Predictor.load(r.artifact(), r.signature());
        // THEN
        assertThat(schema.feature("colour").type()).isEqualTo(dev.mlops.core.data.ColumnType.CATEGORICAL);
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).isEqualTo(1.0);
        assertThat(p.predict(java.util.List.of(Map.of("size", 3, "colour", "red"), Map.of("size", "3", "colour", "blue"),
                Map.of("size", 3, "colour", "purple")))).extracting(dev.mlops.core.model.Prediction::label)
                .startsWith("hot", "cold").hasSize(3);
    }
}
