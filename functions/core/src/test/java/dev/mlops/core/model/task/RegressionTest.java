package dev.mlops.core.model.task;

import dev.mlops.core.Json;
import dev.mlops.core.model.Prediction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RegressionTest {

    private static final Regression TASK = Regression.TASK;

    @Test
    void metrics_shouldMatchScikitLearn() {
        // GIVEN
        List<String> truth = List.of("3", "-0.5", "2", "7", "4.25");
        List<Prediction> predicted = List.of(Prediction.value(2.5), Prediction.value(0.0), Prediction.value(2),
                Prediction.value(8), Prediction.value(3.5));
        // WHEN
        RegressionMetrics m = (RegressionMetrics) TASK.evaluate(truth, predicted, false);
        // THEN the values scikit-learn 1.2.1 gives: sqrt(mean_squared_error), mean_absolute_error, r2_score
        assertThat(m.rmse()).isCloseTo(0.6422616289332564, within(1e-12));
        assertThat(m.mae()).isCloseTo(0.55, within(1e-12));
        assertThat(m.r2()).isCloseTo(0.9328175895765473, within(1e-12));
        assertThat(m.testRows()).isEqualTo(5);
        assertThat(m.points()).hasSize(5).first().isEqualTo(new RegressionMetrics.Point(-0.5, 0.0));
        assertThat(m.summary()).containsKeys("rmse", "mae", "r2", "rows");
        assertThat(m.score("rmse")).isEqualTo(m.rmse());
    }

    @Test
    void r2OfAConstantTruth_shouldBeScikitLearnsForceFinite() {
        assertThat(TASK.evaluate(new double[] {5, 5, 5}, new double[] {5, 5, 5}).r2()).isEqualTo(1.0);
        assertThat(TASK.evaluate(new double[] {5, 5, 5}, new double[] {5, 5, 6}).r2()).isEqualTo(0.0);
    }

    @Test
    void metricDirections_shouldDecideSelectionAndBlessing() {
        assertThat(TASK.metrics()).containsExactly("rmse", "mae", "r2");
        assertThat(TASK.defaultMetric()).isEqualTo("rmse");
        assertThat(TASK.higherIsBetter("rmse")).isFalse();
        assertThat(TASK.higherIsBetter("mae")).isFalse();
        assertThat(TASK.higherIsBetter("r2")).isTrue();
        // lower RMSE is better: a challenger may be worse by the margin at most
        assertThat(TASK.blessed("rmse", 10.0, 10.5, 0)).isTrue();
        assertThat(TASK.blessed("rmse", 10.5, 10.0, 0)).isFalse();
        assertThat(TASK.blessed("rmse", 10.5, 10.0, 1.0)).isTrue();
        assertThat(TASK.blessingRule("rmse")).isEqualTo("challenger <= champion + margin");
        assertThat(TASK.blessed("r2", 0.80, 0.81, 0.02)).isTrue();
        assertThat(TASK.refusal("field \"training.metric\"", "accuracy"))
                .isEqualTo("field \"training.metric\": \"accuracy\" is not a regression metric; expected rmse, mae or r2");
    }

    @Test
    void labels_shouldBeFiniteNumbers() {
        assertThat(TASK.output(" 23.5 ").getValues()).containsExactly(23.5);
        assertThatThrownBy(() -> TASK.output("cheap")).hasMessageContaining("\"cheap\" is not a finite number");
        assertThat(Task.of("regression")).isSameAs(TASK);
        assertThat(Task.of(null)).isSameAs(Classification.TASK);
        assertThatThrownBy(() -> Task.of("ranking")).hasMessageContaining("classification or regression");
    }

    @Test
    void metricsDocuments_shouldReadBackAsTheirTask_andOldClassificationDocumentsUnchanged() throws Exception {
        // GIVEN a regression document and a classification document written before regression existed
        Metrics regression = TASK.evaluate(new double[] {1, 2, 3}, new double[] {1, 2, 4});
        String old = "{\"accuracy\":0.9,\"macro_f1\":0.8,\"per_class\":{},\"train_rows\":10,\"test_rows\":5}";
        // WHEN
        Metrics back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(regression), Metrics.class);
        Metrics classification = Json.MAPPER.readValue(old, Metrics.class);
        // THEN
        assertThat(back).isEqualTo(regression);
        assertThat(classification).isInstanceOf(ClassificationMetrics.class);
        assertThat(classification.score("accuracy")).isEqualTo(0.9);
    }

    @Test
    void aPrediction_shouldBeAValueOnly() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(Prediction.value(23.4))).isEqualTo("{\"value\":23.4}");
        assertThat(Json.MAPPER.writeValueAsString(new Prediction("a", Map.of("a", 1.0))))
                .isEqualTo("{\"label\":\"a\",\"scores\":{\"a\":1.0}}");
    }
}
