package dev.mlops.core.data;

import java.util.Objects;

/**
 * A named, typed column.
 *
 * @param name column name as in the CSV header
 * @param type how the column is interpreted
 */
public record Column(String name, ColumnType type) {

    /** Rejects nulls. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
