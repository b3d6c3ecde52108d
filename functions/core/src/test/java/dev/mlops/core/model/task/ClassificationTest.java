package dev.mlops.core.model.task;

import org.junit.jupiter.api.Test;

import dev.mlops.core.model.Prediction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClassificationTest {

    @Test
    void score_shouldComputeMacroF1AndPerClassMetrics() {
        // GIVEN
        List<String> truth = List.of("a", "a", "b", "b");
        List<String> pred = List.of("a", "b", "b", "b");
        // WHEN
        ClassificationMetrics m = Classification.TASK.evaluateLabels(truth, pred);
        // THEN
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.perClass().get("a")).isEqualTo(new ClassMetrics(1.0, 0.5, 2.0 / 3, 2));
        assertThat(m.perClass().get("b").precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.perClass().get("b").recall()).isEqualTo(1.0);
        assertThat(m.macroF1()).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
        assertThat(m.testRows()).isEqualTo(4);
    }

    private static Prediction binary(double pb) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("a", 1 - pb);
        scores.put("b", pb);
        return new Prediction(pb >= 0.5 ? "b" : "a", scores);
    }

    @Test
    void score_shouldMatchScikitLearnsLogLossRocAucAndConfusionMatrix() {
        // GIVEN five binary predictions, with a tie between two positives (0.8)
        List<String> truth = List.of("a", "a", "b", "b", "b");
        List<Prediction> predicted = List.of(binary(0.1), binary(0.6), binary(0.35), binary(0.8), binary(0.8));
        // WHEN
        ClassificationMetrics m = Classification.TASK.evaluate(truth, predicted, true);
        // THEN the values scikit-learn 1.2.1 gives for the same arrays:
        // roc_auc_score([0,0,1,1,1], [.1,.6,.35,.8,.8]) and log_loss(y, [[1-p, p] ...], labels=['a','b'])
        assertThat(m.rocAuc()).isCloseTo(0.8333333333333333, within(1e-12));
        assertThat(m.logLoss()).isCloseTo(0.5035520949318156, within(1e-12));
        assertThat(m.confusion()).isEqualTo(Map.of("a", Map.of("a", 1L, "b", 1L), "b", Map.of("a", 1L, "b", 2L)));
        assertThat(m.accuracy()).isEqualTo(0.6);
    }

    @Test
    void score_shouldLeaveOutLogLossForMarginsAndRocAucForMoreThanTwoClasses() {
        // GIVEN three classes
        Prediction p = new Prediction("x", Map.of("x", 0.7, "y", 0.2, "z", 0.1));
        // WHEN scores are margins
        ClassificationMetrics m = Classification.TASK.evaluate(List.of("x"), List.of(p), false);
        // THEN
        assertThat(m.logLoss()).isNull();
        assertThat(m.rocAuc()).isNull();
        assertThat(m.confusion().get("x")).containsEntry("x", 1L);
    }

    @Test
    void logLoss_shouldNotDependOnTheRowsOrder() {
        // GIVEN the same predictions in two orders
        List<String> truth = List.of("a", "b", "b", "a", "b", "a", "b");
        List<Prediction> predicted = List.of(binary(0.13), binary(0.71), binary(0.29), binary(0.47), binary(0.93),
                binary(0.05), binary(0.66));
        List<String> truthReversed = new java.util.ArrayList<>(truth);
        List<Prediction> reversed = new java.util.ArrayList<>(predicted);
        java.util.Collections.reverse(truthReversed);
        java.util.Collections.reverse(reversed);
        // WHEN / THEN the same bits
        assertThat(Classification.TASK.evaluate(truthReversed, reversed, true).logLoss())
                .isEqualTo(Classification.TASK.evaluate(truth, predicted, true).logLoss());
    }
}
