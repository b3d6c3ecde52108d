package dev.mlops.core.data;

/** How a feature column is interpreted. */
public enum ColumnType {
    /** Every non-missing cell is a finite decimal number. */
    NUMERIC,
    /** Free text / category values, one-hot encoded for training. */
    CATEGORICAL
}
