package dev.mlops.core.data;

import java.util.Arrays;

/**
 * One record of a CSV file as the parser hands it over: the characters of every field side by side in one
 * buffer, reused from row to row, so reading a file allocates nothing per cell.
 */
public final class Row {

    private char[] chars;
    private int[] start;
    private int[] length;
    private int size;
    private int used;
    private long line;
    private boolean lastQuoted;
    private boolean invalidUtf8;

    /** Most fields kept per record; a record with more is counted, not stored (it is ragged anyway). */
    static final int MAX_FIELDS = 10_000;

    /** An empty row, reused record after record. */
    Row() {
        this(new char[1024], new int[64], new int[64]);
    }

    private Row(char[] chars, int[] start, int[] length) {
        this.chars = chars;
        this.start = start;
        this.length = length;
    }

    /** Starts the next record. */
    void begin(long startingLine) {
        size = 0;
        used = 0;
        line = startingLine;
        lastQuoted = false;
        invalidUtf8 = false;
    }

    /** Appends a field, copied out of the parser's buffer. */
    void add(char[] buf, int off, int len, boolean quoted) {
        int at = reserve(len);
        if (at >= 0) {
            System.arraycopy(buf, off, chars, at, len);
            lastQuoted = quoted;
        }
    }

    /**
     * The buffer a line of up to {@code len} ASCII characters is written into, from its start, before
     * {@link #asciiFields} cuts it into fields (right after {@link #begin}).
     */
    char[] asciiLine(int len) {
        if (chars.length < len) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
        return chars;
    }

    /**
     * Cuts the {@code len} characters written into {@link #asciiLine} (the line without its commas) at the {@code n}
     * positions in {@code ends[0..n)}, where each comma was: {@code n + 1} unquoted fields (at most
     * {@link #MAX_FIELDS}), side by side as {@link #add} lays them.
     */
    void asciiFields(int[] ends, int n, int len) {
        if (start.length <= n) {
            start = new int[Math.max(n + 1, start.length * 2)];
            length = new int[start.length];
        }
        int from = 0;
        for (int j = 0; j < n; j++) {
            start[j] = from;
            length[j] = ends[j] - from;
            from = ends[j];
        }
        start[n] = from;
        length[n] = len - from;
        size = n + 1;
        used = len;
        lastQuoted = false;
    }

    /**
     * Makes room for one more field of {@code len} characters: where they go, or -1 past {@link #MAX_FIELDS} (the
     * field is counted, not stored).
     */
    private int reserve(int len) {
        if (size >= MAX_FIELDS) {
            size++;
            return -1;
        }
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            length = Arrays.copyOf(length, size * 2);
        }
        if (used + len > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + len));
        }
        int at = used;
        start[size] = at;
        length[size] = len;
        used += len;
        size++;
        return at;
    }

    /** A row of given texts (to validate tables already in memory with the same code). */
    void set(long startingLine, String[] cells) {
        begin(startingLine);
        for (String c : cells) {
            char[] cs = c == null ? new char[0] : c.toCharArray();
            add(cs, 0, cs.length, false);
        }
    }

    /** 1-based physical line on which the record starts. */
    public long line() {
        return line;
    }

    /** Number of fields. */
    public int size() {
        return size;
    }

    /** The buffer holding every field's characters. */
    public char[] chars() {
        return chars;
    }

    /** Where field {@code i} starts in {@link #chars()}. */
    public int start(int i) {
        return start[i];
    }

    /** How many characters field {@code i} has. */
    public int length(int i) {
        return length[i];
    }

    /** Field {@code i} as text (allocates). */
    public String text(int i) {
        return new String(chars, start[i], length[i]);
    }

    /** Characters of all fields together. */
    int used() {
        return used;
    }

    /** Whether a field holds bytes that were not UTF-8. */
    boolean invalidUtf8() {
        return invalidUtf8;
    }

    void markInvalidUtf8() {
        invalidUtf8 = true;
    }

    /** Whether the last field was quoted. */
    boolean lastQuoted() {
        return lastQuoted;
    }

    /** The fields joined with commas, shortened: how an example of a whole row is shown. */
    String preview() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(size, MAX_FIELDS) && sb.length() <= Anomaly.MAX_VALUE_CHARS; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(chars, start[i], Math.min(length[i], Anomaly.MAX_VALUE_CHARS + 1));
        }
        return Anomaly.shorten(sb);
    }

    /** A copy that keeps its characters (for rows held back while a schema is inferred). */
    Row copy() {
        int fields = Math.max(1, Math.min(size, MAX_FIELDS));
        Row r = new Row(Arrays.copyOf(chars, used), Arrays.copyOf(start, fields), Arrays.copyOf(length, fields));
        r.size = size;
        r.used = used;
        r.line = line;
        r.lastQuoted = lastQuoted;
        r.invalidUtf8 = invalidUtf8;
        return r;
    }
}
