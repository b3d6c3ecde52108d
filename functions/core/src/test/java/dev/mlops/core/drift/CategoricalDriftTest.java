package dev.mlops.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CategoricalDriftTest {

    @Test
    void chi2Contingency_shouldReturnPValueOne_forSingleCategory() {
        // GIVEN / WHEN
        Chi2Result r = CategoricalDrift.chi2Contingency(Map.of("a", 5L), Map.of("a", 9L));

        // THEN
        assertThat(r).isEqualTo(new Chi2Result(0.0, 1.0, 0));
    }

    @Test
    void chi2Contingency_shouldLeaveOutCategoriesCountedZeroOnBothSides() {
        // GIVEN "z" is listed with a count of 0 on both sides: its expected count would be 0
        Map<String, Long> ref = Map.of("a", 30L, "b", 50L, "z", 0L);
        Map<String, Long> cur = Map.of("a", 45L, "b", 35L, "z", 0L);

        // WHEN
        Chi2Result withZero = CategoricalDrift.chi2Contingency(ref, cur);
        Chi2Result without = CategoricalDrift.chi2Contingency(Map.of("a", 30L, "b", 50L),
                Map.of("a", 45L, "b", 35L));

        // THEN
        assertThat(withZero).isEqualTo(without);
        assertThat(withZero.dof()).isEqualTo(1);
        assertThat(withZero.pValue()).isBetween(0.0, 1.0);
    }

    @Test
    void chi2Contingency_shouldReject_whenOneSideHasNoObservations() {
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> CategoricalDrift.chi2Contingency(Map.of("a", 0L), Map.of("a", 3L)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
