package dev.mlops.core.data;

/** How much an anomaly matters. */
public enum Severity {
    /** Blocks training: the dataset version is INVALID. */
    ERROR,
    /** Reported; the dataset version can still be trained on. */
    WARNING
}
