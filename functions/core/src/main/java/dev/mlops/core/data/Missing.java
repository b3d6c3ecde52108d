package dev.mlops.core.data;

import java.util.Locale;
import java.util.Set;

/**
 * The single definition of a missing value used by inference, validation, profiling, training and prediction.
 */
public final class Missing {

    private static final Set<String> TOKENS = Set.of("", "na", "n/a", "nan", "null", "?");

    private Missing() {
    }

    /**
     * Whether a cell denotes a missing value: {@code null}, empty, {@code NA}, {@code N/A}, {@code NaN},
     * {@code null} or {@code ?}, after trimming and ignoring case.
     *
     * @param cell raw cell text, may be {@code null}
     * @return true if the cell is missing
     */
    public static boolean isMissing(String cell) {
        return cell == null || TOKENS.contains(cell.trim().toLowerCase(Locale.ROOT));
    }
}
