package dev.mlops.core.domain;

/** What became of one upload (one version of an object under {@code incoming/}). */
public enum UploadStatus {
    /** Read and valid: the training pipeline was handed the dataset version. */
    VALID,
    /** Read but invalid: the validation report says why; nothing was trained. */
    INVALID,
    /** Not read at all: too large, a key the pipeline cannot take, gone before it was read; the reason says which. */
    REJECTED,
    /** The same bytes came earlier through another upload: the outcome names the run, model and version they made. */
    DUPLICATE,
    /**
     * Too large to validate in one pass: its parts are being validated by the validation state machine, whose merge
     * replaces this with the outcome. Not an outcome yet.
     */
    VALIDATING,
    /** An attempt to ingest it failed and the delivery will be tried again: not an outcome yet. */
    RETRYING,
    /**
     * Every delivery attempt failed: the event waits in the dead-letter queue for {@code ./mlops datasets redrive}
     * (on AWS, the ingest function's on-failure destination).
     */
    FAILED_DELIVERY;

    /** Whether {@code upload --wait} can stop here: everything but {@link #RETRYING} and {@link #VALIDATING}. */
    public boolean settled() {
        return this != RETRYING && this != VALIDATING;
    }

    /**
     * Whether a later outcome of the same upload may replace this one: a failed delivery is replaced by what a
     * retry or a redrive concludes, validation in parts by what its merge concludes; what was concluded from the bytes is written once.
     */
    public boolean replaceable() {
        return this == RETRYING || this == FAILED_DELIVERY || this == VALIDATING;
    }
}
