package dev.mlops.core.registry;

import dev.mlops.core.domain.Blessing;
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
        BlessingPolicy f1 = new BlessingPolicy(BlessingPolicy.MACRO_F1, 0.0);
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
        BlessingPolicy tolerant = new BlessingPolicy(BlessingPolicy.ACCURACY, 0.02);
        // WHEN
        Blessing slightlyWorse = BlessingRule.compared(tolerant, 3, new ChampionComparison.Compared(0.89, 0.90, 50));
        Blessing worse = BlessingRule.compared(BlessingPolicy.defaults(), 3, new ChampionComparison.Compared(0.89, 0.91, 50));
        Blessing tie = BlessingRule.compared(BlessingPolicy.defaults(), 3, new ChampionComparison.Compared(0.91, 0.91, 50));
        // THEN
        assertThat(slightlyWorse.blessed()).isTrue();
        assertThat(worse.blessed()).isFalse();
        assertThat(worse.reason()).isEqualTo("accuracy 0.8900 vs champion v3 0.9100 on 50 rows neither model trained"
                + " on; blessed when challenger >= champion - margin 0.0000");
        assertThat(tie.blessed()).isTrue();
        assertThat(BlessingRule.unscorable(BlessingPolicy.defaults(), 2, "x").blessed()).isFalse();
        assertThat(BlessingRule.firstVersion(BlessingPolicy.defaults()).reason()).isEqualTo("no production version yet");
    }
}
