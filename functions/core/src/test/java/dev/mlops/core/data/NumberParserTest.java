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
    void plainDecimalsOfUpToSeventeenCharacters_shouldParseToTheSameDoubleAsTheJdk_bitForBit() {
        // GIVEN random digit strings of 1 to 17 digits, a point anywhere or nowhere, a minus sign or not: the
        // cells the plain-decimal loop reads (up to 15 digits) and the general path past it
        SplittableRandom r = new SplittableRandom(22);
        for (int i = 0; i < 200_000; i++) {
            int digits = r.nextInt(1, 18);
            StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
            int point = r.nextInt(4) == 0 ? -1 : r.nextInt(0, digits + 1);
            for (int d = 0; d < digits; d++) {
                if (d == point) {
                    sb.append('.');
                }
                sb.append((char) ('0' + (r.nextInt(3) == 0 ? 0 : r.nextInt(10))));
            }
            if (point == digits) {
                sb.append('.');
            }
            String t = sb.toString();

            // WHEN / THEN
            assertThat(Double.doubleToRawLongBits(parse(t))).as(t)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(t)));
        }
        for (String t : new String[] {"0", "-0", "-0.0", "0.", ".0", "-.5", "5.", "999999999999999",
            "-999999999999999", "9007199254740993", "0.000000000000001", "123456789012345.", ".123456789012345"}) {
            assertThat(Double.doubleToRawLongBits(parse(t))).as(t)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(t)));
        }
        for (String t : new String[] {"-", ".", "-.", "1.2.3", "--1", "1-", "+.", "1e", "0x1"}) {
            assertThat(parse(t)).as(t).isNaN();
        }
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
