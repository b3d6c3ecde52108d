package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A set of missing-value markers, checked on the parser's characters without allocating: a cell is missing
 * when, trimmed, it equals a marker ignoring case.
 */
public final class MissingMarkers {

    /** {@link ValidationConfig#DEFAULT_MISSING_MARKERS}. */
    public static final MissingMarkers DEFAULT = new MissingMarkers(ValidationConfig.DEFAULT_MISSING_MARKERS);

    private final List<String> markers;
    private final char[][] lower;
    private final boolean empty;
    private final int maxLength;
    private final boolean numberLike;

    /**
     * Creates the set.
     *
     * @param markers marker texts (trimmed here; case does not matter)
     */
    public MissingMarkers(List<String> markers) {
        this.markers = List.copyOf(markers);
        List<char[]> out = new ArrayList<>();
        boolean e = false;
        int max = 0;
        for (String m : markers) {
            String t = m.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                e = true;
            } else {
                out.add(t.toCharArray());
                max = Math.max(max, t.length());
            }
        }
        this.lower = out.toArray(new char[0][]);
        this.numberLike = out.stream().anyMatch(m -> startsLikeNumber(m[0]));
        this.empty = e;
        this.maxLength = max;
    }

    /** Whether a marker starts like a number (a digit, a sign or a point), so a numeric cell may be one. */
    boolean numberLike() {
        return numberLike;
    }

    /** The markers as configured. */
    public List<String> markers() {
        return markers;
    }

    /**
     * Whether a cell is missing.
     *
     * @param b   characters
     * @param off first character of the cell
     * @param len length of the cell
     * @return true if the trimmed cell equals a marker, ignoring case
     */
    public boolean isMissing(char[] b, int off, int len) {
        if (!numberLike && len > 0 && startsLikeNumber(b[off])) {
            return false; // the usual numeric cell: no marker starts like a number
        }
        int i = off;
        int end = off + len;
        if (len > 0 && b[i] > ' ' && b[end - 1] > ' ') {
            if (len > maxLength) {
                return false;
            }
        } else {
            while (i < end && b[i] <= ' ') {
                i++;
            }
            while (end > i && b[end - 1] <= ' ') {
                end--;
            }
        }
        int n = end - i;
        if (n == 0) {
            return empty;
        }
        if (n > maxLength) {
            return false;
        }
        for (char[] m : lower) {
            if (m.length == n && equalsIgnoreCase(b, i, m)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a cell given as text is missing.
     *
     * @param cell the cell; {@code null} is missing
     * @return true if missing
     */
    public boolean isMissing(String cell) {
        if (cell == null) {
            return true;
        }
        char[] chars = cell.toCharArray();
        return isMissing(chars, 0, chars.length);
    }

    /** Bit {@code c} set for the characters a number starts with: digits, signs and the point (all below 64). */
    private static final long NUMBER_START = 0x03FFL << '0' | 1L << '-' | 1L << '+' | 1L << '.';

    private static boolean startsLikeNumber(char c) {
        // one test of a bit instead of a chain of comparisons, which a file of signed numbers mispredicts
        return c < 64 && (NUMBER_START >>> c & 1) != 0;
    }

    private static boolean equalsIgnoreCase(char[] b, int from, char[] lowerMarker) {
        for (int k = 0; k < lowerMarker.length; k++) {
            char c = b[from + k];
            if (c != lowerMarker[k] && Character.toLowerCase(c) != lowerMarker[k]) {
                return false;
            }
        }
        return true;
    }
}
