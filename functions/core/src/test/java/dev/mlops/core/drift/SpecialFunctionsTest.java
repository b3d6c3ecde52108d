package dev.mlops.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
