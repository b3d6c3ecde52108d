package dev.mlops.core.data;

/**
 * One validation finding.
 *
 * @param code    the {@link AnomalyKind} name, e.g. {@code TYPE_MISMATCH}
 * @param column  column concerned, or {@code null}
 * @param line    1-based CSV line concerned (data row index + 2), or {@code null}
 * @param message human readable description
 */
public record Problem(String code, String column, Long line, String message) {

    /** A required column is absent from the header. */
    public static final String MISSING_COLUMN = AnomalyKind.MISSING_COLUMN.name();
    /** The header has a column the schema does not know. */
    public static final String UNEXPECTED_COLUMN = AnomalyKind.UNEXPECTED_COLUMN.name();
    /** A cell of a numeric column is not a number. */
    public static final String NOT_NUMERIC = AnomalyKind.TYPE_MISMATCH.name();
    /** A row has no label. */
    public static final String MISSING_LABEL = AnomalyKind.MISSING_LABEL.name();
    /** Fewer rows than needed to train and evaluate. */
    public static final String TOO_FEW_ROWS = AnomalyKind.TOO_FEW_ROWS.name();
    /** Fewer than two label classes. */
    public static final String TOO_FEW_CLASSES = AnomalyKind.TOO_FEW_CLASSES.name();
    /** A label class has fewer than two rows. */
    public static final String CLASS_TOO_SMALL = AnomalyKind.CLASS_TOO_SMALL.name();
}
