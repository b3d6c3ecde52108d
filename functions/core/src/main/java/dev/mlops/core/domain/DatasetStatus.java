package dev.mlops.core.domain;

/** What ingest validation concluded about a dataset version. */
public enum DatasetStatus {
    /** Parsed, matched its schema and passed every check: handed to the training pipeline. */
    VALID,
    /** Read, but failed validation: a report says why; nothing was trained. */
    INVALID
}
