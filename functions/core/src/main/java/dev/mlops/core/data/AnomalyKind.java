package dev.mlops.core.data;

/**
 * What kind of problem an {@link Anomaly} is. Each kind has a default {@link Severity}; kinds the trainer
 * cannot read past are {@linkplain #blocking() blocking}: they are always errors, whatever the dataset's
 * configuration says, because a run would only fail later with a worse message.
 */
public enum AnomalyKind {
    /** The object has no bytes, or nothing but blank lines: no header. */
    EMPTY_FILE(Severity.ERROR, true),
    /** A header name is blank. */
    EMPTY_HEADER_NAME(Severity.ERROR, true),
    /** Two header names are equal. */
    DUPLICATE_HEADER_NAME(Severity.ERROR, true),
    /** A row has more or fewer fields than the header. */
    RAGGED_ROW(Severity.ERROR, true),
    /** A quoted field is not closed, or text follows its closing quote. */
    BAD_QUOTING(Severity.ERROR, true),
    /** Bytes that are not UTF-8. */
    INVALID_UTF8(Severity.ERROR, true),
    /** The file starts with a UTF-8 byte order mark (read and ignored). */
    BOM(Severity.WARNING, false),
    /** A blank line between rows (skipped). */
    BLANK_LINE(Severity.WARNING, false),
    /** A column of the schema is not in the header. */
    MISSING_COLUMN(Severity.ERROR, true),
    /** The header has a column the schema does not know (it is not trained on). */
    UNEXPECTED_COLUMN(Severity.ERROR, false),
    /** A cell of a numeric column is not a number. */
    TYPE_MISMATCH(Severity.ERROR, true),
    /** A cell of a numeric column is infinite, overflows a double, or is written NaN/Inf. */
    NON_FINITE(Severity.ERROR, true),
    /** A number outside the range the schema records for its column. */
    OUT_OF_RANGE(Severity.WARNING, false),
    /** A category the schema does not list for its column. */
    UNSEEN_CATEGORY(Severity.WARNING, false),
    /** A column is less complete (share of non-missing cells) than the schema's baseline allows. */
    COMPLETENESS(Severity.WARNING, false),
    /** A column has no value at all, so its type cannot be inferred. */
    EMPTY_COLUMN(Severity.ERROR, false),
    /** A categorical or label cell longer than {@link ValidationConfig#maxValueLength()} characters. */
    VALUE_TOO_LONG(Severity.ERROR, false),
    /** A regression's label has values far outside the bulk of the others (estimated; trained on as they are). */
    LABEL_OUTLIERS(Severity.WARNING, false),
    /** The upload names a task that is not the dataset's (its accepted schema's, or its config's). */
    TASK_MISMATCH(Severity.ERROR, true),
    /** A row has no label. */
    MISSING_LABEL(Severity.ERROR, true),
    /**
     * A row has its label but every feature cell is missing: nothing to learn from, so the row is left out of
     * training, validation and test (counted here); a dataset can make it an error instead.
     */
    EMPTY_FEATURES(Severity.WARNING, false),
    /** A label value the schema does not list (a new class). */
    UNSEEN_LABEL(Severity.WARNING, false),
    /** More duplicate rows than the configured share. */
    DUPLICATE_ROWS(Severity.WARNING, false),
    /** The table has no feature column besides the label. */
    NO_FEATURES(Severity.ERROR, true),
    /** Fewer rows than needed to train and evaluate. */
    TOO_FEW_ROWS(Severity.ERROR, true),
    /** Fewer than two label classes. */
    TOO_FEW_CLASSES(Severity.ERROR, true),
    /** More label classes than a classifier is meant for (a wrong label column?). */
    TOO_MANY_CLASSES(Severity.ERROR, true),
    /** A label class has too few rows to be in both the training and the test rows. */
    CLASS_TOO_SMALL(Severity.ERROR, true),
    /** Validation stopped early: too many rows with errors; the rest of the file was not checked. */
    VALIDATION_STOPPED(Severity.ERROR, true),
    /** The upload is larger than the ingest function handles; it was not read. */
    TOO_LARGE(Severity.ERROR, true),
    /** The upload, its schema or its configuration cannot be used at all (the message says why). */
    UNUSABLE(Severity.ERROR, true);

    private final Severity defaultSeverity;
    private final boolean blocking;

    AnomalyKind(Severity defaultSeverity, boolean blocking) {
        this.defaultSeverity = defaultSeverity;
        this.blocking = blocking;
    }

    /** The severity unless the dataset's configuration says otherwise. */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** Always an error: training cannot read past it. */
    public boolean blocking() {
        return blocking;
    }
}
