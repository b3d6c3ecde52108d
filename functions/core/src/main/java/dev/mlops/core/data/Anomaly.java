package dev.mlops.core.data;

import java.util.List;
import java.util.Objects;

/**
 * One problem found in an upload, in words a data team can act on.
 *
 * @param kind     what kind of problem
 * @param column   the column concerned, or {@code null} when it concerns the file or whole rows
 * @param severity {@link Severity#ERROR} blocks training, {@link Severity#WARNING} does not
 * @param rows     how many rows have it (0 when it is about the file or the header)
 * @param examples up to {@value #MAX_EXAMPLES} lines where it was seen, with the value (shortened)
 * @param message  one sentence: what is wrong, where, and what to do
 */
public record Anomaly(AnomalyKind kind, String column, Severity severity, long rows, List<Example> examples,
                      String message) {

    /** Examples kept per anomaly. */
    public static final int MAX_EXAMPLES = 5;

    /**
     * Where an anomaly was seen.
     *
     * @param line  1-based physical line of the file where the row starts
     * @param value the cell as written (shortened to {@value Anomaly#MAX_VALUE_CHARS} characters), or null
     */
    public record Example(long line, String value) {
    }

    /** Longest value shown in an example or a report. */
    public static final int MAX_VALUE_CHARS = 80;

    /** Rejects nulls and copies the examples. */
    public Anomaly {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** Whether it blocks training. */
    public boolean error() {
        return severity == Severity.ERROR;
    }

    /**
     * A value as shown in reports: at most {@value #MAX_VALUE_CHARS} characters, a longer one cut with its length.
     *
     * @param value any text, may be {@code null}
     * @return the text to show
     */
    public static String shorten(CharSequence value) {
        if (value == null) {
            return null;
        }
        if (value.length() <= MAX_VALUE_CHARS) {
            return value.toString();
        }
        return value.subSequence(0, MAX_VALUE_CHARS) + "… (" + value.length() + " characters)";
    }
}
