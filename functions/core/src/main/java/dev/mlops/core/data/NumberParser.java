package dev.mlops.core.data;

/**
 * Strict, allocation-free parsing of numeric cells straight from the parser's characters; the single
 * definition of a number behind {@link Numbers}.
 *
 * <p>Syntax: surrounding whitespace, an optional sign, digits with an optional fraction (or a fraction alone),
 * an optional exponent: {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}. Java-only syntax that
 * {@link Double#parseDouble} would take (hex, {@code 1d}, {@code 1f}) is not a number.
 *
 * <p>Up to 18 significant digits with a power of ten within ±22 and a mantissa within 2<sup>53</sup> are
 * converted exactly with one multiplication or division (Clinger's fast path: both operands are exact doubles,
 * so the one rounding is the correct one); anything else goes to {@link Double#parseDouble}, so every result is
 * the correctly rounded double of the text (tested against {@code Double.parseDouble} on random inputs).
 */
public final class NumberParser {

    /** Exact powers of ten (also the byte path's, {@link CellChecks#takePlain}). */
    static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22};
    private static final long MAX_EXACT = 1L << 53;

    private NumberParser() {
    }

    /**
     * Parses a cell.
     *
     * @param b   characters
     * @param off first character of the cell
     * @param len length of the cell
     * @return the value if the cell is a finite number; {@code ±Infinity} if it is a number that is not finite
     *         (overflows a double, or is written {@code inf}, {@code infinity} or {@code nan} in any case, signed or
     *         not); {@code NaN} if it is not a number at all
     */
    public static double parse(char[] b, int off, int len) {
        if (len <= PLAIN_DIGITS + 2) {
            double v = plainDecimal(b, off, off + len);
            if (v == v) {
                return v;
            }
        }
        int i = off;
        int end = off + len;
        while (i < end && b[i] <= ' ') {
            i++;
        }
        while (end > i && b[end - 1] <= ' ') {
            end--;
        }
        if (i == end) {
            return Double.NaN;
        }
        int start = i;
        boolean negative = false;
        char c = b[i];
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        int signEnd = i;
        long mantissa = 0;
        int significant = 0;
        int exp10 = 0;
        boolean digits = false;
        boolean truncated = false;
        while (i < end && (c = b[i]) >= '0' && c <= '9') {
            digits = true;
            if (significant < 18) {
                mantissa = mantissa * 10 + (c - '0');
                if (mantissa != 0) {
                    significant++;
                }
            } else {
                exp10++;
                truncated |= c != '0';
            }
            i++;
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && (c = b[i]) >= '0' && c <= '9') {
                digits = true;
                if (significant < 18) {
                    mantissa = mantissa * 10 + (c - '0');
                    if (mantissa != 0) {
                        significant++;
                    }
                    exp10--;
                } else {
                    truncated |= c != '0';
                }
                i++;
            }
        }
        if (!digits) {
            return nonFinite(b, signEnd, end, negative);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                expNegative = b[i] == '-';
                i++;
            }
            if (i == end) {
                return Double.NaN;
            }
            int exp = 0;
            while (i < end && (c = b[i]) >= '0' && c <= '9') {
                if (exp < 100_000) {
                    exp = exp * 10 + (c - '0');
                }
                i++;
            }
            if (i < end) {
                return Double.NaN;
            }
            exp10 += expNegative ? -exp : exp;
        } else if (i < end) {
            return Double.NaN;
        }
        if (!truncated && mantissa <= MAX_EXACT && exp10 >= -22 && exp10 <= 22) {
            double v = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
            return negative ? -v : v;
        }
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        // Rare: many digits or a large exponent; the JDK rounds these correctly (and overflows to infinity).
        return Double.parseDouble(new String(b, start, end - start));
    }

    /** Most digits of a plain decimal read by {@link #plainDecimal}: their value is below 2<sup>53</sup>. */
    private static final int PLAIN_DIGITS = 15;

    /**
     * The most common cell, a plain decimal ({@code -?\d*\.?\d*} with 1 to {@value #PLAIN_DIGITS} digits, nothing
     * else: no spaces, sign {@code +} or exponent), in one loop: its digits make an exact integer below
     * 2<sup>53</sup> and its scale an exact power of ten, so the one division rounds correctly. NaN for anything
     * else, which the general path reads.
     */
    private static double plainDecimal(char[] b, int from, int end) {
        if (from >= end) {
            return Double.NaN;
        }
        int negative = ((b[from] ^ '-') - 1) >>> 31; // 1 for a minus sign, without a branch
        int i = from + negative;
        long mantissa = 0;
        int digits = 0;
        int point = -1;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
                digits++;
            } else if (b[i] == '.' && point < 0) {
                point = digits;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0 || digits > PLAIN_DIGITS) {
            return Double.NaN;
        }
        double v = point < 0 || point == digits ? mantissa : mantissa / POW10[digits - point];
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) | (long) negative << 63);
    }

    /**
     * Parses a cell given as text; see {@link #parse(char[], int, int)}.
     *
     * @param text the cell, may be {@code null} (not a number)
     * @return the value, {@code ±Infinity} or {@code NaN} as above
     */
    public static double parse(CharSequence text) {
        if (text == null) {
            return Double.NaN;
        }
        char[] chars = text.toString().toCharArray();
        return parse(chars, 0, chars.length);
    }

    private static double nonFinite(char[] b, int from, int end, boolean negative) {
        int n = end - from;
        if (matches(b, from, n, "inf") || matches(b, from, n, "infinity") || matches(b, from, n, "nan")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.NaN;
    }

    private static boolean matches(char[] b, int from, int n, String lower) {
        if (n != lower.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (Character.toLowerCase(b[from + k]) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
