package dev.mlops.core.model.task;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DecisionThresholdTest {

    private static final List<String> CLASSES = List.of("neg", "pos");
    // Ten validation rows: the positive class's score and the true class.
    private static final double[] SCORES = {0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95};
    private static final boolean[] POSITIVE = {false, false, true, false, false, true, false, true, true, true};

    private static ModelSignature.Threshold choose(DecisionThreshold.Rule rule) {
        List<String> truth = new ArrayList<>();
        List<Prediction> predicted = new ArrayList<>();
        for (int i = 0; i < SCORES.length; i++) {
            truth.add(POSITIVE[i] ? "pos" : "neg");
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put("neg", 1 - SCORES[i]);
            scores.put("pos", SCORES[i]);
            predicted.add(new Prediction(SCORES[i] >= 0.5 ? "pos" : "neg", scores));
        }
        return DecisionThreshold.choose(CLASSES, rule, truth, predicted);
    }

    private static DecisionThreshold.Rule cost(double falsePositive, double falseNegative) {
        return new DecisionThreshold.Rule("cost", null, Map.of("false_positive", falsePositive, "false_negative",
                falseNegative), null);
    }

    @Test
    void theDefault_shouldKeepTheModelsOwnDecision() {
        ModelSignature.Threshold t = choose(DecisionThreshold.Rule.defaults());
        assertThat(t.tuned()).isFalse();
        assertThat(t.positiveClass()).isEqualTo("pos");
        assertThat(t.value()).isEqualTo(0.5);
    }

    @Test
    void f1_shouldPickTheThresholdWithTheBestF1_halfwayBetweenScores() {
        // above 0.5: tp 4, fp 1, fn 1 -> F1 0.8; above 0.2: tp 5, fp 3 -> 0.769; the best is between 0.45 and 0.55
        ModelSignature.Threshold t = choose(new DecisionThreshold.Rule("f1", null, null, null));
        assertThat(t.objective()).isEqualTo("f1");
        assertThat(t.value()).isCloseTo(0.5, within(1e-12));
        assertThat(t.reason()).contains("F1 0.8000");
    }

    @Test
    void aCostMatrix_shouldMoveTheThreshold_andTheDecisionsWithIt() {
        // WHEN a missed positive costs 10 times a false alarm, and the other way round
        ModelSignature.Threshold missesCost = choose(cost(1, 10));
        ModelSignature.Threshold alarmsCost = choose(cost(10, 1));
        // THEN the threshold goes down to catch every positive (0.25 is the lowest positive: 0.2 between it and 0.15)
        assertThat(missesCost.value()).isCloseTo(0.2, within(1e-12));
        // and up to call only the sure ones (above 0.65, the highest negative: 0.7)
        assertThat(alarmsCost.value()).isCloseTo(0.7, within(1e-12));
        assertThat(missesCost.reason()).contains("cost 3");
        // AND a score of 0.3 is positive under the first and negative under the second
        assertThat(DecisionThreshold.decide(CLASSES, missesCost, 0.3)).isEqualTo("pos");
        assertThat(DecisionThreshold.decide(CLASSES, alarmsCost, 0.3)).isEqualTo("neg");
    }

    @Test
    void aRecallFloor_shouldGiveTheBestPrecisionThatKeepsIt() {
        // recall >= 0.8 (4 of 5 positives): from 0.55 up, 4 positives and 1 false alarm (0.65): precision 0.8
        ModelSignature.Threshold t = choose(new DecisionThreshold.Rule("recall", 0.8, null, null));
        assertThat(t.value()).isCloseTo(0.5, within(1e-12));
        assertThat(t.reason()).contains("precision 0.8000").contains("recall 0.8000");
    }

    @Test
    void badRules_shouldBeRefusedNamingTheField() {
        assertThatThrownBy(() -> new DecisionThreshold.Rule("recall", null, null, null))
                .isInstanceOf(ContractException.class).hasMessageContaining("training.threshold.min_recall");
        assertThatThrownBy(() -> new DecisionThreshold.Rule("cost", null, Map.of("false_alarm", 1.0), null))
                .hasMessageContaining("training.threshold.costs.false_alarm");
        assertThatThrownBy(() -> new DecisionThreshold.Rule("youden", null, null, null))
                .hasMessageContaining("training.threshold.objective");
        assertThatThrownBy(() -> DecisionThreshold.positiveClass(CLASSES, new DecisionThreshold.Rule("f1", null, null,
                "yes"))).hasMessageContaining("\"yes\" is not a class");
    }
}
