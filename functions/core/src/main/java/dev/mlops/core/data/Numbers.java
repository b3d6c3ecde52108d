package dev.mlops.core.data;

import java.util.regex.Pattern;

/**
 * Strict parsing of numeric cells: optional sign, digits with optional fraction, optional exponent,
 * surrounding whitespace allowed. Java-only syntax accepted by {@link Double#parseDouble} (hex, {@code 1d},
 * {@code Infinity}) is rejected, as are values that overflow to infinity.
 */
public final class Numbers {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Numbers() {
    }

    /**
     * Whether the text is a finite decimal number.
     *
     * @param text cell text, may be {@code null}
     * @return true if {@link #parse(String)} would succeed
     */
    public static boolean isNumber(String text) {
        if (text == null) {
            return false;
        }
        String t = text.trim();
        return DECIMAL.matcher(t).matches() && Double.isFinite(Double.parseDouble(t));
    }

    /**
     * Parses a finite decimal number.
     *
     * @param text cell text
     * @return the value
     * @throws NumberFormatException if the text is not a finite decimal number
     */
    public static double parse(String text) {
        if (!isNumber(text)) {
            throw new NumberFormatException("not a number: \"" + text + "\"");
        }
        return Double.parseDouble(text.trim());
    }
}
