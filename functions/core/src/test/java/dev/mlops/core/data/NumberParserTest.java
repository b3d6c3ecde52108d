package dev.mlops.core.data;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class NumberParserTest {

    private static double parse(String s) {
        return NumberParser.parse(s);
    }

    @Test
    void decimals_shouldParseToTheSameDoubleAsTheJdk_bitForBit() {
        // GIVEN random numbers written the ways CSV files write them
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            double v = switch (i % 5) {
                case 0 -> r.nextGaussian() * 100;
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
                case 2 -> r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
                case 3 -> Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL);
                default -> r.nextInt(-1000, 1000) / 8.0;
            };
            String[] texts = {
                String.valueOf(v),
                String.format(Locale.ROOT, "%." + r.nextInt(0, 20) + "f", v),
                String.format(Locale.ROOT, "%." + r.nextInt(0, 20) + "e", v),
                String.format(Locale.ROOT, "%." + r.nextInt(1, 25) + "g", v),
            };
            for (String t : texts) {
                // WHEN / THEN
                assertThat(Double.doubleToRawLongBits(parse(t))).as(t)
                        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(t)));
            }
        }
    }

    @Test
    void theStrictSyntax_shouldAcceptCsvNumbersAndRejectJavaOnlyForms() {
        assertThat(parse(" 1.5 ")).isEqualTo(1.5);
        assertThat(parse("+.5")).isEqualTo(0.5);
        assertThat(parse("5.")).isEqualTo(5.0);
        assertThat(parse("007")).isEqualTo(7.0);
        assertThat(parse("-0")).isEqualTo(-0.0);
        assertThat(parse("1E+3")).isEqualTo(1000.0);
        assertThat(parse("12345678901234567890123")).isEqualTo(1.2345678901234567e22);
        assertThat(parse("0.000000000000000000000000000001")).isEqualTo(1e-30);
        for (String notANumber : new String[] {"", " ", ".", "+", "-", "1e", "1e+", "0x10", "1d", "1f", "1_000", "1,5",
                "1.2.3", "e5", "abc", "--1", "1 2"}) {
            assertThat(parse(notANumber)).as(notANumber).isNaN();
        }
        for (String nonFinite : new String[] {"inf", "-Infinity", "+INF", "NaN", "1e400", "-1e999"}) {
            assertThat(Double.isInfinite(parse(nonFinite))).as(nonFinite).isTrue();
        }
        assertThat(parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void numbers_shouldAgreeWithTheParser() {
        assertThat(Numbers.isNumber("1e3")).isTrue();
        assertThat(Numbers.isNumber("1e400")).isFalse();
        assertThat(Numbers.isNumber("NaN")).isFalse();
        assertThat(Numbers.isNumber(null)).isFalse();
    }
}
