package dev.mlops.core.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Rows of a fixed number of cells kept as characters in chunks of {@value #CHUNK} characters plus one
 * {@code int} per cell, instead of a {@code String} (and its array) per cell: about 2 bytes per character and
 * 4 per cell. {@link #get(int)} returns a view; its cells are created when read.
 */
final class CompactRows extends AbstractList<List<String>> implements RandomAccess {

    /** Characters per chunk. */
    static final int CHUNK = 1 << 22;

    private final int columns;
    private final List<char[]> chunks = new ArrayList<>();
    private char[] chunk;
    private int used;
    private int[] rowChunk = new int[1024];
    private int[] ends = new int[1024];
    private int[] starts;
    private int rows;

    CompactRows(int columns) {
        this.columns = columns;
        this.starts = new int[1024 * Math.max(1, columns)];
    }

    /** Appends a record with {@code columns} fields. */
    void add(Row row) {
        int n = row.used();
        if (chunk == null || used + n > chunk.length) {
            chunk = new char[Math.max(CHUNK, n)];
            chunks.add(chunk);
            used = 0;
        }
        if (rows == rowChunk.length) {
            rowChunk = Arrays.copyOf(rowChunk, rows * 2);
            ends = Arrays.copyOf(ends, rows * 2);
        }
        if ((long) (rows + 1) * columns > starts.length) {
            long grown = Math.min((long) starts.length * 2, Integer.MAX_VALUE - 8);
            if (grown < (long) (rows + 1) * columns) {
                throw new IllegalStateException("more cells than one table can hold: " + (long) (rows + 1) * columns);
            }
            starts = Arrays.copyOf(starts, (int) grown);
        }
        System.arraycopy(row.chars(), 0, chunk, used, n);
        int base = rows * columns;
        for (int c = 0; c < columns; c++) {
            starts[base + c] = used + row.start(c);
        }
        rowChunk[rows] = chunks.size() - 1;
        ends[rows] = used + n;
        used += n;
        rows++;
    }

    @Override
    public List<String> get(int r) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("row " + r + " of " + rows);
        }
        return new RowView(r);
    }

    @Override
    public int size() {
        return rows;
    }

    private String cell(int r, int c) {
        char[] data = chunks.get(rowChunk[r]);
        int i = r * columns + c;
        int start = starts[i];
        int end = c == columns - 1 ? ends[r] : starts[i + 1];
        return new String(data, start, end - start);
    }

    /** One row, read-only. */
    private final class RowView extends AbstractList<String> implements RandomAccess {
        private final int r;

        RowView(int r) {
            this.r = r;
        }

        @Override
        public String get(int c) {
            if (c < 0 || c >= columns) {
                throw new IndexOutOfBoundsException("column " + c + " of " + columns);
            }
            return cell(r, c);
        }

        @Override
        public int size() {
            return columns;
        }
    }
}
