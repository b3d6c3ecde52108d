package dev.mlops.core.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory CSV table: a header and data rows, every row having exactly as many cells as the header.
 *
 * <p>Data row {@code i} (0-based) started on physical line {@code i + 2} of the source file unless an earlier
 * quoted field contained a line break.
 *
 * @param header column names, in file order, unique and non-blank
 * @param rows   data rows, each a list of raw cell strings (quotes removed, not trimmed)
 */
public record CsvTable(List<String> header, List<List<String>> rows) {

    /** Defensive copies, rejecting nulls. */
    public CsvTable {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(rows, "rows");
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /**
     * Position of a column in the header.
     *
     * @param name exact column name
     * @return the 0-based index, or -1 if the header has no such column
     */
    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /**
     * One cell by row index and column name.
     *
     * @param row    0-based data row index
     * @param column column name
     * @return the raw cell value
     * @throws IllegalArgumentException if the column does not exist
     */
    public String cell(int row, String column) {
        int c = columnIndex(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column named \"" + column + "\"");
        }
        return rows.get(row).get(c);
    }
}
