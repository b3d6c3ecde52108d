package dev.mlops.core.registry;

import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainedCandidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlessingTest {

    private static TrainedCandidate candidate(int index, double accuracy, double f1) {
        return new TrainedCandidate(index, CandidateSpec.defaultLogisticRegression(), "a" + index, "s", "c", "sig", "m",
                "p", accuracy, f1, 100, 50);
    }

    @Test
    void best_shouldPreferAccuracyThenMacroF1ThenTheEarlierCandidate() {
        assertThat(Blessing.best(List.of(candidate(0, 0.90, 0.80), candidate(1, 0.95, 0.70))).candidateIndex()).isEqualTo(1);
        assertThat(Blessing.best(List.of(candidate(0, 0.90, 0.80), candidate(1, 0.90, 0.85))).candidateIndex()).isEqualTo(1);
        assertThat(Blessing.best(List.of(candidate(0, 0.90, 0.80), candidate(1, 0.90, 0.80))).candidateIndex()).isEqualTo(0);
    }

    @Test
    void best_shouldRefuseARunWithoutCandidates() {
        assertThatThrownBy(() -> Blessing.best(List.of())).hasMessageContaining("no trained candidate");
    }

    @Test
    void decide_shouldBlessTheFirstVersion_andAChallengerAtLeastAsGoodAsTheChampion() {
        assertThat(Blessing.decide(0.5, null, null).blessed()).isTrue();
        assertThat(Blessing.decide(0.91, 3, 0.91).blessed()).isTrue();
        Blessing.Decision worse = Blessing.decide(0.89, 3, 0.91);
        assertThat(worse.blessed()).isFalse();
        assertThat(worse.reason()).isEqualTo("accuracy 0.8900 vs champion v3 0.9100 on the same test rows");
    }
}
