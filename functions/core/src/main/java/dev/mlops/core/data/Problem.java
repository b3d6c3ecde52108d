package dev.mlops.core.data;

/**
 * One validation finding.
 *
 * @param code    stable machine-readable code, e.g. {@code NOT_NUMERIC}
 * @param column  column concerned, or {@code null}
 * @param line    1-based CSV line concerned (data row index + 2), or {@code null}
 * @param message human readable description
 */
public record Problem(String code, String column, Long line, String message) {

    /** A required column is absent from the header. */
    public static final String MISSING_COLUMN = "MISSING_COLUMN";
    /** The header has a column the schema does not know. */
    public static final String UNEXPECTED_COLUMN = "UNEXPECTED_COLUMN";
    /** A cell of a numeric column is not a number. */
    public static final String NOT_NUMERIC = "NOT_NUMERIC";
    /** A row has no label. */
    public static final String MISSING_LABEL = "MISSING_LABEL";
    /** Fewer rows than needed to train and evaluate. */
    public static final String TOO_FEW_ROWS = "TOO_FEW_ROWS";
    /** Fewer than two label classes. */
    public static final String TOO_FEW_CLASSES = "TOO_FEW_CLASSES";
    /** A label class has fewer than two rows. */
    public static final String CLASS_TOO_SMALL = "CLASS_TOO_SMALL";
}
