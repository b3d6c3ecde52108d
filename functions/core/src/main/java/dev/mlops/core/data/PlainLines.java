package dev.mlops.core.data;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * Splits the lines of a CSV file that need no CSV parser straight from their bytes into {@link Row}s: lines of
 * printable ASCII and tabs without a quote, ended by LF or CRLF (or the end of the input), cut at every comma. Such
 * lines are read exactly as the strict parser reads them (the same fields, the same line numbers) without decoding
 * bytes to characters first or copying each field twice, and they are most lines of most files.
 *
 * <p>At the first line that is not plain (a quote, a byte outside printable ASCII, a lone CR, a line longer than
 * {@value #MAX_LINE} bytes) it stops, before that line: {@link #rest()} hands that line and the rest of the input
 * to the full parser ({@link CsvStream}), which numbers its lines after {@link #lines()}.
 */
final class PlainLines {

    /** What {@link #next} found. */
    enum Next {
        /** A record, in the row given. */
        ROW,
        /** An empty line. */
        BLANK,
        /** The end of the input. */
        END,
        /** A line that needs the full parser: nothing of it was consumed. */
        NOT_PLAIN
    }

    /** Longest line read here; a longer one goes to the parser, which has its own limit and message. */
    static final int MAX_LINE = 1 << 20;

    private static final byte PLAIN = 0;
    private static final byte COMMA = 1;
    private static final byte LF = 2;
    private static final byte CR = 3;
    private static final byte OTHER = 4;
    /** What each byte is: printable ASCII but a quote, and tab, are plain. */
    private static final byte[] KIND = new byte[256];

    static {
        java.util.Arrays.fill(KIND, OTHER);
        for (int c = ' '; c < 0x7F; c++) {
            KIND[c] = PLAIN;
        }
        KIND['\t'] = PLAIN;
        KIND['"'] = OTHER;
        KIND[','] = COMMA;
        KIND['\n'] = LF;
        KIND['\r'] = CR;
    }

    private final InputStream in;
    private byte[] buf = new byte[64 * 1024];
    /** The first byte not consumed. */
    private int pos;
    private int limit;
    private boolean eof;
    private long lines;

    PlainLines(InputStream in) {
        this.in = in;
    }

    /** Line breaks consumed so far: the next line is line {@code lines() + 1}. */
    long lines() {
        return lines;
    }

    /**
     * Reads the next line into {@code row} if it is plain.
     *
     * @throws IOException when the input cannot be read
     */
    Next next(Row row) throws IOException {
        row.begin(lines + 1);
        int i = pos;
        int fieldStart = pos;
        while (true) {
            byte[] b = buf;
            int end = limit;
            while (i < end && KIND[b[i] & 0xFF] == PLAIN) {
                i++;
            }
            if (i == end) {
                int before = pos;
                int read = fill();
                if (read == FULL) {
                    return Next.NOT_PLAIN;
                }
                i -= before - pos;
                fieldStart -= before - pos;
                if (read == EOF) {
                    if (i == pos) {
                        return Next.END;
                    }
                    row.addAscii(buf, fieldStart, i - fieldStart);
                    pos = i;
                    return Next.ROW; // the last line, without a line break
                }
                continue;
            }
            switch (KIND[b[i] & 0xFF]) {
                case COMMA -> {
                    row.addAscii(b, fieldStart, i - fieldStart);
                    fieldStart = ++i;
                    if (row.size() >= Row.MAX_FIELDS) {
                        return Next.NOT_PLAIN;
                    }
                }
                case LF -> {
                    return endLine(row, fieldStart, i, i + 1);
                }
                case CR -> {
                    if (i + 1 == limit) {
                        int before = pos;
                        if (fill() != MORE) {
                            return Next.NOT_PLAIN;
                        }
                        i -= before - pos;
                        fieldStart -= before - pos;
                    }
                    if (buf[i + 1] == '\n') {
                        return endLine(row, fieldStart, i, i + 2);
                    }
                    return Next.NOT_PLAIN; // a lone CR
                }
                default -> {
                    return Next.NOT_PLAIN;
                }
            }
        }
    }

    private Next endLine(Row row, int fieldStart, int end, int next) {
        boolean blank = end == pos;
        if (!blank) {
            row.addAscii(buf, fieldStart, end - fieldStart);
        }
        lines++;
        pos = next;
        return blank ? Next.BLANK : Next.ROW;
    }

    private static final int MORE = 0;
    private static final int EOF = 1;
    private static final int FULL = 2;

    /**
     * Reads more of the input after what is buffered: {@link #MORE} (indices into the buffer shift down by what
     * {@link #pos} moved: the unconsumed bytes move to its start), {@link #EOF} at the end of the input, or
     * {@link #FULL} when the line being read is longer than {@value #MAX_LINE} bytes.
     */
    private int fill() throws IOException {
        if (eof) {
            return EOF;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        } else if (limit == buf.length) {
            if (buf.length >= MAX_LINE) {
                return FULL;
            }
            buf = Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return EOF;
        }
        limit += n;
        return MORE;
    }

    /**
     * The bytes not consumed (from the start of the line that is not plain), then the rest of the input, which is
     * left open (a {@link SequenceInputStream} would close it at its end, where the caller still drains it).
     */
    InputStream rest() {
        return new SequenceInputStream(new ByteArrayInputStream(buf, pos, limit - pos), new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller's stream: the caller closes it
            }
        });
    }
}
