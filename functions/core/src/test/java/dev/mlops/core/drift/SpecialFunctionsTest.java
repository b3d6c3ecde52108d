package dev.mlops.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {

    @Test
    void logGamma_shouldMatchKnownValues() {
        // GIVEN / WHEN / THEN
        assertThat(SpecialFunctions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
        assertThat(SpecialFunctions.logGamma(1.0)).isCloseTo(0.0, within(1e-14));
        assertThat(SpecialFunctions.logGamma(10.0)).isCloseTo(Math.log(362880.0), within(1e-13));
        assertThat(SpecialFunctions.logGamma(1.5))
                .isCloseTo(Math.log(0.5 * Math.sqrt(Math.PI)), within(1e-14));
        assertThat(SpecialFunctions.logGamma(0.1)).isCloseTo(2.252712651734206, within(1e-13));
    }

    @Test
    void chiSquareSurvival_shouldMatchClosedForms() {
        // GIVEN closed forms: dof 2 -> exp(-x/2); dof 4 -> exp(-x/2)(1 + x/2)
        // WHEN / THEN
        for (double x : new double[] {0.1, 1.0, 5.0, 30.0, 200.0}) {
            assertThat(SpecialFunctions.chiSquareSurvival(x, 2))
                    .isCloseTo(Math.exp(-x / 2), within(1e-13 * Math.exp(-x / 2) + 1e-300));
            double q4 = Math.exp(-x / 2) * (1 + x / 2);
            assertThat(SpecialFunctions.chiSquareSurvival(x, 4)).isCloseTo(q4, within(1e-12 * q4));
        }
        assertThat(SpecialFunctions.chiSquareSurvival(3.841458820694124, 1))
                .isCloseTo(0.05, within(1e-12));
        assertThat(SpecialFunctions.chiSquareSurvival(0.0, 3)).isEqualTo(1.0);
    }

    @Test
    void chi2Contingency_shouldReturnPValueOne_forSingleCategory() {
        // GIVEN / WHEN
        Chi2Result r = CategoricalDrift.chi2Contingency(Map.of("a", 5L), Map.of("a", 9L));

        // THEN
        assertThat(r).isEqualTo(new Chi2Result(0.0, 1.0, 0));
    }
}
