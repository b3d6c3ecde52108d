package dev.mlops.core.data;

import dev.mlops.core.search.PinnedDataset;
import java.util.List;
import java.util.Objects;

/**
 * A CSV table in memory: a header and data rows, every row having exactly as many cells as the header.
 *
 * <p>A table read from a file ({@link CsvParser}, {@link PinnedDataset}) keeps its cells as characters in a few
 * large arrays ({@link CompactRows}), not as one {@code String} per cell; {@link #rows()} hands out read-only
 * views whose cells are the exact text of the file (so anything hashed from them, like the row-hash split, is
 * the same as from strings).
 *
 * <p>Data row {@code i} (0-based) started on physical line {@code i + 2} of the source file unless an earlier
 * quoted field contained a line break or a blank line was skipped.
 */
public final class CsvTable {

    private final List<String> header;
    private final List<List<String>> rows;

    /**
     * A table of given rows (copied).
     *
     * @param header column names, in file order, unique and non-blank
     * @param rows   data rows, each a list of raw cell strings (quotes removed, not trimmed)
     */
    public CsvTable(List<String> header, List<List<String>> rows) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(rows, "rows");
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
    }

    private CsvTable(List<String> header, CompactRows rows) {
        this.header = List.copyOf(header);
        this.rows = rows;
    }

    /** A table over compactly stored rows (not copied). */
    static CsvTable of(List<String> header, CompactRows rows) {
        return new CsvTable(header, rows);
    }

    /** Column names, in file order. */
    public List<String> header() {
        return header;
    }

    /** Data rows, each a list of raw cell strings (quotes removed, not trimmed). */
    public List<List<String>> rows() {
        return rows;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvTable t && header.equals(t.header) && rows.equals(t.rows);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + rows.hashCode();
    }

    @Override
    public String toString() {
        return "CsvTable[header=" + header + ", rows=" + rows.size() + "]";
    }
}
