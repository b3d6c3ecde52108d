package dev.mlops.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MissingTest {

    @Test
    void isMissing_shouldRecogniseMissingTokensCaseInsensitivelyAndTrimmed() {
        // GIVEN / WHEN / THEN
        for (String s : new String[] {"", "  ", "NA", "na", " N/A ", "NaN", "nan", "null", "NULL", "?", null}) {
            assertThat(Missing.isMissing(s)).as("[%s]", s).isTrue();
        }
        for (String s : new String[] {"0", "none", "N", "-", "NAN1", "x"}) {
            assertThat(Missing.isMissing(s)).as("[%s]", s).isFalse();
        }
    }

    @Test
    void numbers_shouldAcceptDecimalsAndRejectJavaOnlySyntax() {
        // GIVEN / WHEN / THEN
        for (String s : new String[] {"1", "-2.5", "+3.", ".5", "1e3", " 4.2E-2 "}) {
            assertThat(Numbers.isNumber(s)).as(s).isTrue();
        }
        for (String s : new String[] {"abc", "1d", "0x10", "Infinity", "NaN", "1e999", "", "1,5"}) {
            assertThat(Numbers.isNumber(s)).as(s).isFalse();
        }
    }
}
