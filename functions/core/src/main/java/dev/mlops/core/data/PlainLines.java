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

    /** What each byte is, as bits: a byte that makes a line not plain, a CR (plain only before the LF), a comma. */
    private static final byte NOT_PLAIN_BYTE = 1;
    private static final byte CR = 2;
    private static final byte COMMA = 4;
    /** Printable ASCII but a quote, and tab, are plain; LF ends the line before it is looked up. */
    private static final byte[] KIND = new byte[256];

    static {
        java.util.Arrays.fill(KIND, NOT_PLAIN_BYTE);
        for (int c = ' '; c < 0x7F; c++) {
            KIND[c] = 0;
        }
        KIND['\t'] = 0;
        KIND['"'] = NOT_PLAIN_BYTE;
        KIND[','] = COMMA;
        KIND['\r'] = CR;
    }

    private final InputStream in;
    private byte[] buf = new byte[64 * 1024];
    /** Where the line's commas are, from its start (written for every byte, kept for commas); grows to the buffer. */
    private int[] commas = new int[1024];
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
     * <p>A line is read in one loop without a branch on its bytes but the line break: each byte is widened into the
     * row (a comma is written over by the next byte), its kind or-ed into the line's (so whether it is plain is known
     * at its end), and the write position stored in the comma list, which only a comma advances. The branch per
     * field of a loop that stopped at each comma was mispredicted about once a field.
     *
     * @throws IOException when the input cannot be read
     */
    Next next(Row row) throws IOException {
        row.begin(lines + 1);
        while (true) {
            byte[] b = buf;
            int from = pos;
            int end = limit;
            char[] c = row.asciiLine(end - from);
            if (commas.length < end - from) {
                commas = new int[Math.max(end - from, commas.length * 2)];
            }
            int[] at = commas;
            int kinds = 0;
            int crs = 0;
            int n = 0;
            int w = 0; // characters written: the line without its commas, fields side by side as the row keeps them
            int k = from;
            for (; k < end; k++) {
                int x = b[k] & 0xFF;
                if (x == '\n') {
                    break;
                }
                int kind = KIND[x];
                int comma = kind >>> 2;
                c[w] = (char) x;
                at[n] = w;
                w += 1 - comma;
                n += comma;
                kinds |= kind;
                crs += kind & CR;
            }
            if (k == end) { // no line break in the buffer
                int read = fill();
                if (read == MORE) {
                    continue; // the line again, from its start, with more of it buffered
                }
                if (read == FULL) {
                    return Next.NOT_PLAIN;
                }
                // the end of the input (fill may have moved the line to the buffer's start)
                if (pos == limit) {
                    return Next.END;
                }
                // the last line, without a line break: a CR in it is a lone CR
                if ((kinds & ~COMMA) != 0 || n >= Row.MAX_FIELDS) {
                    return Next.NOT_PLAIN;
                }
                row.asciiFields(at, n, w);
                pos = limit;
                return Next.ROW;
            }
            if ((kinds & NOT_PLAIN_BYTE) != 0) {
                return Next.NOT_PLAIN;
            }
            if ((kinds & CR) != 0) {
                if (crs != CR || b[k - 1] != '\r') {
                    return Next.NOT_PLAIN; // a lone CR
                }
                w--; // CRLF: the CR is not the last field's
            }
            if (n >= Row.MAX_FIELDS) {
                return Next.NOT_PLAIN;
            }
            lines++;
            pos = k + 1;
            if (k == from || k == from + 1 && crs != 0) {
                return Next.BLANK;
            }
            row.asciiFields(at, n, w);
            return Next.ROW;
        }
    }

    /**
     * Takes whole lines straight from the buffered bytes, as many as it can: the row loop of a part whose schema is
     * settled, with no {@link Row} in between ({@link CellChecks#takePlain}). It stops at the first line it does not
     * take, without consuming it, and {@link #next} reads that one.
     */
    interface Taker {
        /** Set in {@link #take}'s answer when it stopped at a line it does not take. */
        long REFUSED = 1L << 62;

        /**
         * Takes the lines of {@code b[from, end)}, each ended by LF, that it can, in order, numbered from
         * {@code firstLine}.
         *
         * @return the position after the last line taken (low 32 bits), how many lines were taken (bits 32 to 61),
         *         and {@link #REFUSED} when it stopped at a line it does not take rather than at {@code end}
         */
        long take(byte[] b, int from, int end, long firstLine);
    }

    /**
     * Hands the buffered lines that are whole (up to the last LF) to {@code taker}, reading more input as it takes
     * them all, until it refuses a line or the input ends (or a line outgrows the buffer): then {@link #next} reads on
     * from the first line not taken.
     *
     * @throws IOException when the input cannot be read
     */
    void take(Taker taker) throws IOException {
        while (true) {
            int end = limit;
            while (end > pos && buf[end - 1] != '\n') {
                end--;
            }
            if (end > pos) {
                long r = taker.take(buf, pos, end, lines + 1);
                pos = (int) r;
                lines += r >>> 32 & 0x3FFF_FFFF;
                if ((r & Taker.REFUSED) != 0) {
                    return;
                }
            }
            if (fill() != MORE) {
                return;
            }
        }
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
