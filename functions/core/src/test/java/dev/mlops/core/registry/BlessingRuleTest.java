package dev.mlops.core.registry;

import dev.mlops.core.domain.Blessing;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.pipeline.BlessingPolicy;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainedCandidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlessingRuleTest {

    private static TrainedCandidate candidate(int index, double accuracy, double f1) {
        return new TrainedCandidate(index, CandidateSpec.defaultLogisticRegression(), "a" + index, "s", "c", "sig", "m",
                "p", accuracy, f1, 100, 50);
    }

    @Test
    void best_shouldPreferThePolicysMetricThenTheOtherThenTheEarlierCandidate() {
        BlessingPolicy accuracy = BlessingPolicy.defaults();
        BlessingPolicy f1 = new BlessingPolicy(Classification.MACRO_F1, 0.0);
        List<TrainedCandidate> two = List.of(candidate(0, 0.90, 0.80), candidate(1, 0.95, 0.70));
        assertThat(BlessingRule.best(two, accuracy).candidateIndex()).isEqualTo(1);
        assertThat(BlessingRule.best(two, f1).candidateIndex()).isEqualTo(0);
        assertThat(BlessingRule.best(List.of(candidate(0, 0.90, 0.80), candidate(1, 0.90, 0.85)), accuracy)
                .candidateIndex()).isEqualTo(1);
        assertThat(BlessingRule.best(List.of(candidate(0, 0.90, 0.80), candidate(1, 0.90, 0.80)), accuracy)
                .candidateIndex()).isEqualTo(0);
        assertThatThrownBy(() -> BlessingRule.best(List.of(), accuracy)).hasMessageContaining("no trained candidate");
    }

    @Test
    void compared_shouldBlessWithinTheMarginAndSayItsRule() {
        // GIVEN
        BlessingPolicy tolerant = new BlessingPolicy(Classification.ACCURACY, 0.02);
        // WHEN
        Blessing slightlyWorse = BlessingRule.compared(tolerant, Classification.TASK, 3, new ChampionComparison.Compared(0.89, 0.90, 50));
        Blessing worse = BlessingRule.compared(BlessingPolicy.defaults(), Classification.TASK, 3, new ChampionComparison.Compared(0.89, 0.91, 50));
        Blessing tie = BlessingRule.compared(BlessingPolicy.defaults(), Classification.TASK, 3, new ChampionComparison.Compared(0.91, 0.91, 50));
        // THEN
        assertThat(slightlyWorse.blessed()).isTrue();
        assertThat(worse.blessed()).isFalse();
        assertThat(worse.reason()).isEqualTo("accuracy 0.8900 vs champion v3 0.9100 on 50 rows neither model trained"
                + " on; blessed when challenger >= champion - margin 0.0000");
        assertThat(tie.blessed()).isTrue();
        assertThat(BlessingRule.unscorable(BlessingPolicy.defaults(), 2, "x").blessed()).isFalse();
        assertThat(BlessingRule.firstVersion(BlessingPolicy.defaults()).reason()).isEqualTo("no production version yet");
    }

    private static TrainedCandidate validated(int index, String metric, double valAcc, double valF1, Double logLoss,
                                              double testAcc) {
        CandidateSpec spec = new CandidateSpec("cart", 42, dev.mlops.core.data.SplitSpec.rowHash(42, 0.2),
                java.util.Map.of(), metric, false, 5);
        double score = Classification.MACRO_F1.equals(metric) ? valF1 : valAcc;
        return new TrainedCandidate(index, spec, "a" + index, "s", "c", "sig", "m", "p", testAcc, testAcc, 100, 50,
                TrainedCandidate.TRAINED, null, score, valAcc, valF1, logLoss, 10L, "r" + index);
    }

    @Test
    void best_shouldChooseOnValidationScores_neverOnTestScores() {
        // GIVEN candidate 1 is better on validation, candidate 0 on test
        List<TrainedCandidate> two = List.of(validated(0, "accuracy", 0.90, 0.90, 0.3, 0.99),
                validated(1, "accuracy", 0.95, 0.80, 0.4, 0.70));
        // THEN the validation score decides, whatever the blessing policy says
        assertThat(BlessingRule.best(two, BlessingPolicy.defaults()).candidateIndex()).isEqualTo(1);
        assertThat(BlessingRule.best(two, new BlessingPolicy(Classification.MACRO_F1, 0.0)).candidateIndex()).isEqualTo(1);
        // AND on macro-F1 runs, macro-F1 decides
        List<TrainedCandidate> f1 = List.of(validated(0, "macro_f1", 0.90, 0.90, 0.3, 0.5),
                validated(1, "macro_f1", 0.95, 0.80, 0.4, 0.9));
        assertThat(BlessingRule.best(f1, BlessingPolicy.defaults()).candidateIndex()).isZero();
    }

    @Test
    void best_shouldBreakTiesOnTheOtherMetric_thenLogLoss_probabilitiesFirst_thenTheIndex() {
        assertThat(BlessingRule.best(List.of(validated(0, "accuracy", 0.9, 0.8, 0.3, 0), validated(1, "accuracy", 0.9,
                0.85, 0.5, 0)), BlessingPolicy.defaults()).candidateIndex()).isEqualTo(1);
        assertThat(BlessingRule.best(List.of(validated(0, "accuracy", 0.9, 0.8, 0.3, 0), validated(1, "accuracy", 0.9,
                0.8, 0.2, 0)), BlessingPolicy.defaults()).candidateIndex()).isEqualTo(1);
        assertThat(BlessingRule.best(List.of(validated(0, "accuracy", 0.9, 0.8, null, 0), validated(1, "accuracy", 0.9,
                0.8, 0.9, 0)), BlessingPolicy.defaults()).candidateIndex()).isEqualTo(1);
        assertThat(BlessingRule.best(List.of(validated(0, "accuracy", 0.9, 0.8, 0.3, 0), validated(1, "accuracy", 0.9,
                0.8, 0.3, 0)), BlessingPolicy.defaults()).candidateIndex()).isZero();
    }

    @Test
    void best_shouldNeverPickASkippedCandidate_andSayWhyWhenNothingTrained() {
        CandidateSpec xgb = new CandidateSpec("xgboost", 42, dev.mlops.core.data.SplitSpec.rowHash(42, 0.2),
                java.util.Map.of());
        TrainedCandidate skipped = TrainedCandidate.skipped(0, xgb, "no libgomp.so.1", "k");
        assertThat(BlessingRule.best(List.of(skipped, validated(1, "accuracy", 0.5, 0.5, 1.0, 0.5)),
                BlessingPolicy.defaults()).candidateIndex()).isEqualTo(1);
        assertThatThrownBy(() -> BlessingRule.best(List.of(skipped), BlessingPolicy.defaults()))
                .hasMessageContaining("no trained candidate").hasMessageContaining("xgboost")
                .hasMessageContaining("no libgomp.so.1");
    }
}
