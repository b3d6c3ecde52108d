package dev.mlops.core.data;

/**
 * Strict parsing of numeric cells: optional sign, digits with optional fraction, optional exponent,
 * surrounding whitespace allowed. Java-only syntax accepted by {@link Double#parseDouble} (hex, {@code 1d},
 * {@code Infinity}) is rejected, as are values that overflow to infinity. The rules are
 * {@link NumberParser}'s.
 */
public final class Numbers {

    private Numbers() {
    }

    /**
     * Whether the text is a finite decimal number.
     *
     * @param text cell text, may be {@code null}
     * @return true if {@link #parse(String)} would succeed
     */
    public static boolean isNumber(String text) {
        return Double.isFinite(NumberParser.parse(text));
    }

    /**
     * Parses a finite decimal number.
     *
     * @param text cell text
     * @return the value
     * @throws NumberFormatException if the text is not a finite decimal number
     */
    public static double parse(String text) {
        double v = NumberParser.parse(text);
        if (!Double.isFinite(v)) {
            throw new NumberFormatException("not a number: \"" + text + "\"");
        }
        return v;
    }
}
