package dev.mlops.core.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    @Test
    void score_shouldComputeMacroF1AndPerClassMetrics() {
        // GIVEN
        List<String> truth = List.of("a", "a", "b", "b");
        List<String> pred = List.of("a", "b", "b", "b");
        // WHEN
        Metrics m = Evaluation.score(truth, pred);
        // THEN
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.perClass().get("a")).isEqualTo(new ClassMetrics(1.0, 0.5, 2.0 / 3, 2));
        assertThat(m.perClass().get("b").precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.perClass().get("b").recall()).isEqualTo(1.0);
        assertThat(m.macroF1()).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
        assertThat(m.testRows()).isEqualTo(4);
    }
}
