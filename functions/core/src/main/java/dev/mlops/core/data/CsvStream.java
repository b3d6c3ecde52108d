package dev.mlops.core.data;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a CSV file once, as a stream, and hands each record to a {@link Sink} without materialising the table;
 * the bytes are hashed (SHA-256) and counted on the way. Parsing is FastCSV's strict RFC 4180 parser (fields
 * handed over as character ranges); around it, what the parser lets through is caught here and recorded in an
 * {@link AnomalyLog} with its line: bytes that are not UTF-8 (the row goes on with U+FFFD), a byte order mark,
 * blank lines between rows (skipped), blank or duplicate header names, text after a closing quote, a quote
 * never closed, an empty file. Header names are trimmed; cells are handed over verbatim.
 *
 * <p>A record with more or fewer fields than the header is handed over as it is: the sink decides.
 */
public final class CsvStream {

    /** Receives the header and the records of one file. */
    public interface Sink {
        /** The header, names trimmed, after its checks. */
        void header(String[] names, long line);

        /** A record (the {@link Row} is reused: copy what must be kept). */
        void row(Row row);

        /** Whether to stop reading (the rest of the file is still hashed). */
        boolean stopped();

        /**
         * What takes plain lines straight from their bytes, doing for each what {@link #row} would, or null (then
         * every line comes to {@link #row}); asked before each stretch of plain lines.
         */
        default PlainLines.Taker plainRows() {
            return null;
        }
    }

    /**
     * What reading found out about the bytes.
     *
     * @param sha256   SHA-256 of every byte of the input, lower-case hex
     * @param bytes    bytes in the input
     * @param complete whether every record was read (false: a quoting error or the sink stopped early)
     */
    public record Read(String sha256, long bytes, boolean complete) {
    }

    private static final Object EMPTY = new Object();

    private CsvStream() {
    }

    /**
     * Reads the whole input (the stream is read to its end but not closed).
     *
     * @throws IOException when the input cannot be read (not when it is malformed: that is recorded)
     */
    public static Read read(InputStream input, AnomalyLog log, Sink sink) throws IOException {
        return read(input, log, sink, true);
    }

    /**
     * As {@link #read(InputStream, AnomalyLog, Sink)}; {@code plainLines} false reads every line with FastCSV
     * (what lines split from their bytes must read the same as; tests compare the two).
     */
    static Read read(InputStream input, AnomalyLog log, Sink sink, boolean plainLines) throws IOException {
        DigestingInputStream in = new DigestingInputStream(input);
        Driver driver = new Driver(log, sink, null);
        boolean complete = plainLines ? parse(in, true, driver, log, sink) : parse(fullParser(in, true, driver), 0,
                driver, log, sink);
        driver.finish();
        in.drain();
        return new Read(in.sha256(), in.count(), complete);
    }

    /**
     * Reads the start of a file until the sink stops (or the input ends): the header and the first rows, to
     * settle a schema before the parts of the file are read. Nothing is hashed and the rest is not read; nothing
     * is noted at the end (the whole file's pass notes a byte order mark after every row: {@link Head#bom()}).
     *
     * @throws IOException when the input cannot be read
     */
    static Head readHead(InputStream input, AnomalyLog log, Sink sink) throws IOException {
        Driver driver = new Driver(log, sink, null);
        parse(input, true, driver, log, sink);
        return new Head(driver.headerOnFirstLine, driver.bom());
    }

    /**
     * What reading the start of a file found.
     *
     * @param headerOnFirstLine whether the header is the file's first line, all of it (no blank line before it,
     *                          no line break inside a quoted name): then the data rows start after the file's
     *                          first line break
     * @param bom               whether the file starts with a byte order mark
     */
    record Head(boolean headerOnFirstLine, boolean bom) {
    }

    /** Notes a byte order mark at the start of the file. */
    static void noteBom(AnomalyLog log) {
        log.note(AnomalyKind.BOM, null, 0, "the file starts with a UTF-8 byte order mark; it was ignored here,"
                + " but other tools may read it as part of the first column's name: save the file as UTF-8"
                + " without BOM");
    }

    /**
     * What reading one part of a file found out about its bytes.
     *
     * @param lines              line breaks in the part (LF, CRLF or a lone CR each count one, as the parser
     *                           counts lines), to number the lines of the parts after it
     * @param trailingBlankLines blank lines at the end of the part, after its last record: they are between rows
     *                           (and reported) if a later part has a record
     * @param firstTrailingBlank the part-local line of the first of them (0 without)
     * @param complete           whether every record was read (false: a quoting error or the sink stopped)
     */
    record PartRead(long lines, long trailingBlankLines, long firstTrailingBlank, boolean complete) {
    }

    /**
     * Reads one part of a file: a byte range that starts after a line break, past the header, whose records all
     * have the given header. Lines are numbered from 1 within the part. Nothing is hashed; the input is read to
     * its end (to count its lines) but not closed.
     *
     * @throws IOException when the input cannot be read (not when it is malformed: that is recorded)
     */
    static PartRead readPart(InputStream input, AnomalyLog log, Sink sink, String[] header) throws IOException {
        PlainLines plain = new PlainLines(input);
        Driver driver = new Driver(log, sink, header);
        Rest rest = new Rest(plain);
        boolean complete = parse(plain, false, driver, log, sink, rest);
        driver.finishPart();
        LineCountingInputStream after = rest.stream();
        after.drain();
        return new PartRead(plain.lines() + after.lines(), complete ? driver.blankLines : 0,
                complete ? driver.firstBlank : 0, complete);
    }

    /**
     * What follows the lines the byte splitter read, its line breaks counted as it is read (by the full parser, or
     * drained): with the splitter's own count, a part's. Every byte of every part was counted again before, about 3 %
     * of a numeric part's CPU samples, whose lines the splitter reads all ({@code ./mlops validate} on 1M rows: 1.26
     * → 1.23 s, 2.38 → 2.34 s CPU, 14 rounds: within the noise).
     */
    private static final class Rest {
        private final PlainLines plain;
        private LineCountingInputStream stream;

        Rest(PlainLines plain) {
            this.plain = plain;
        }

        /** The same stream every call, made at the first: from the first byte the splitter did not consume. */
        LineCountingInputStream stream() {
            if (stream == null) {
                stream = new LineCountingInputStream(plain.rest());
            }
            return stream;
        }
    }

    /**
     * Parses records until the input ends or the sink stops; whether every record was read. Plain lines are split
     * from their bytes ({@link PlainLines}); from the first line that is not plain on, the rest of the input goes
     * through FastCSV.
     *
     * @param fileStart whether the input is the start of a file (which may begin with a byte order mark)
     */
    private static boolean parse(InputStream in, boolean fileStart, Driver driver, AnomalyLog log, Sink sink)
            throws IOException {
        PlainLines plain = new PlainLines(in);
        return parse(plain, fileStart, driver, log, sink, null);
    }

    /** As above, from {@code plain}; the full parser reads {@code rest}'s stream if given, else the plain rest. */
    private static boolean parse(PlainLines plain, boolean fileStart, Driver driver, AnomalyLog log, Sink sink,
                                 Rest rest) throws IOException {
        Row[] rows = {new Row(), new Row()};
        int current = 0;
        while (true) {
            PlainLines.Taker taker = driver.plainReady() ? sink.plainRows() : null;
            if (taker != null) {
                driver.flushPendingRow(); // a plain line's row, held back for nothing: rows go in file order
                if (sink.stopped()) {
                    return false;
                }
                plain.take(taker);
            }
            switch (plain.next(rows[current])) {
                case ROW -> {
                    driver.record(rows[current]);
                    current ^= 1; // the driver holds the row back a record
                    if (sink.stopped()) {
                        return false;
                    }
                }
                case BLANK -> driver.blank(plain.lines());
                case END -> {
                    driver.end();
                    return true;
                }
                default -> {
                    InputStream after = rest != null ? rest.stream() : plain.rest();
                    return parse(fullParser(after, fileStart && plain.lines() == 0, driver), plain.lines(),
                            driver, log, sink);
                }
            }
        }
    }

    /** The decoder FastCSV reads {@code in} through, from the start of a file ({@code fileStart}) or not. */
    private static Utf8Reader fullParser(InputStream in, boolean fileStart, Driver driver) {
        Utf8Reader reader = new Utf8Reader(in, fileStart);
        driver.reader = reader;
        return reader;
    }

    /** Parses with FastCSV, lines numbered after {@code linesBefore}; whether every record was read. */
    private static boolean parse(Utf8Reader reader, long linesBefore, Driver driver, AnomalyLog log, Sink sink)
            throws IOException {
        Handler handler = new Handler(linesBefore);
        boolean complete = true;
        CsvReader<Object> csv = CsvReader.builder()
                .skipEmptyLines(false)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowExtraCharsAfterClosingQuote(false)
                .build(handler, reader);
        try {
            for (Object record : csv) {
                if (record == EMPTY) {
                    driver.blank(handler.line);
                    continue;
                }
                driver.record((Row) record);
                handler.swap();
                if (sink.stopped()) {
                    complete = false;
                    break;
                }
            }
            if (complete) {
                driver.end();
            }
        } catch (CsvParseException e) {
            // The record before the broken one was whole: it still counts.
            driver.flushPendingRow();
            complete = false;
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            log.noteAt(AnomalyKind.BAD_QUOTING, null, handler.line, null, "line " + handler.line + ": " + quoting(why)
                    + "; the rest of the file was not read");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return complete;
    }

    /**
     * Hashes a stream without parsing it (for an upload that cannot be checked at all).
     *
     * @throws IOException when the input cannot be read
     */
    public static Read hash(InputStream input) throws IOException {
        DigestingInputStream in = new DigestingInputStream(input);
        in.drain();
        return new Read(in.sha256(), in.count(), false);
    }

    /** Counts line breaks as the parser does: LF, CRLF and a lone CR are one each. */
    private static final class LineCountingInputStream extends java.io.FilterInputStream {
        private long lines;
        private boolean afterCr;

        LineCountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(b, off, n);
            }
            return n;
        }

        private void count(byte[] b, int off, int n) {
            long found = 0;
            boolean cr = afterCr;
            for (int i = off, end = off + n; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    found += cr ? 0 : 1; // the LF of a CRLF was counted with its CR
                    cr = false;
                } else if (c == '\r') {
                    found++;
                    cr = true;
                } else {
                    cr = false;
                }
            }
            lines += found;
            afterCr = cr;
        }

        void drain() throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (read(buf, 0, buf.length) >= 0) {
                // counted in read
            }
        }

        long lines() {
            return lines;
        }
    }

    private static String quoting(String parserMessage) {
        if (parserMessage != null && parserMessage.startsWith("Unexpected character after closing quote")) {
            return "text after a closing quote (" + parserMessage.substring(parserMessage.indexOf(':') + 2)
                    + "): a quoted value must be followed by a comma or the end of the line, and a quote inside"
                    + " a quoted value is written twice (\"\")";
        }
        if (parserMessage != null && parserMessage.contains("maximum buffer size")) {
            return "a single value is longer than the parser's limit of 16 million characters, most likely a"
                    + " quote that is opened and never closed";
        }
        return "malformed quoting (" + parserMessage + ")";
    }

    /** Collects each record's fields into one of two alternating rows (one is held back a record). */
    private static final class Handler extends AbstractBaseCsvCallbackHandler<Object> {
        private final Row[] rows = {new Row(), new Row()};
        private final long linesBefore;
        private int current;
        long line;

        /** Lines of the input are numbered after {@code linesBefore} (read before this parser started). */
        Handler(long linesBefore) {
            this.linesBefore = linesBefore;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            line = linesBefore + startingLineNumber;
            rows[current].begin(line);
        }

        @Override
        protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
            rows[current].add(buf, offset, len, quoted);
        }

        @Override
        protected Object buildRecord() {
            return getRecordType() == RecordType.EMPTY ? EMPTY : rows[current];
        }

        void swap() {
            current ^= 1;
        }
    }

    /**
     * Turns records into header and rows. Each record is held back until the next one arrives, because only at
     * the end can a last field that opened a quote be told from one that closed it.
     */
    private static final class Driver {
        private final AnomalyLog log;
        private final Sink sink;
        /** The decoder of the lines the full parser reads, once it does (plain lines need none). */
        Utf8Reader reader;
        private Row pending;
        private String[] header;
        private long attributedUtf8;
        long blankLines;
        long firstBlank;
        boolean headerOnFirstLine;
        private long lastBlank;

        Driver(AnomalyLog log, Sink sink, String[] header) {
            this.log = log;
            this.sink = sink;
            this.header = header;
        }

        /** Whether the input started with a byte order mark. */
        boolean bom() {
            return reader != null && reader.bom();
        }

        /** Byte sequences that were not UTF-8. */
        private long substitutions() {
            return reader == null ? 0 : reader.substitutions();
        }

        /**
         * Whether lines can go to a {@link PlainLines.Taker}: the header is read and no blank lines wait for the next
         * record (which reports them).
         */
        boolean plainReady() {
            return header != null && blankLines == 0;
        }

        void blank(long line) {
            if (blankLines == 0) {
                firstBlank = line;
            }
            blankLines++;
            lastBlank = line;
        }

        void record(Row row) {
            if (pending != null) {
                deliver(pending);
            }
            if (blankLines > 0) {
                // Blank lines followed by a record are between rows (or before the header): skipped, reported.
                for (long l = firstBlank; l <= lastBlank && l < firstBlank + Anomaly.MAX_EXAMPLES; l++) {
                    log.row(AnomalyKind.BLANK_LINE, null, l, "");
                }
                if (blankLines > Anomaly.MAX_EXAMPLES) {
                    log.note(AnomalyKind.BLANK_LINE, null, blankLines - Anomaly.MAX_EXAMPLES, null);
                }
                blankLines = 0;
            }
            pending = row;
        }

        /** At the end of the input: the last record is kept unless its last field opened a quote it never closed. */
        void end() {
            if (pending != null && pending.lastQuoted() && !quoteClosed(pending, reader.tail())) {
                log.noteAt(AnomalyKind.BAD_QUOTING, null, pending.line(), null, "line " + pending.line()
                        + ": a quoted value is opened and never closed, so everything up to the end of the file was"
                        + " read as one value; close the quote (and write a quote inside a quoted value twice)");
                pending = null;
            }
            flushPendingRow();
        }

        void flushPendingRow() {
            if (pending != null) {
                deliver(pending);
            }
            pending = null;
        }

        void finish() {
            finishHead();
            finishPart();
        }

        /** What is about the start of a file: no header at all, a byte order mark. */
        void finishHead() {
            if (header == null && !log.has(AnomalyKind.BAD_QUOTING)) {
                log.note(AnomalyKind.EMPTY_FILE, null, 0, "empty file: it has no header; line 1 should name the"
                        + " columns, and each following line holds one row");
            }
            if (bom()) {
                noteBom(log);
            }
        }

        /** What is about every byte read: sequences that are not UTF-8 in no row that was handed over. */
        void finishPart() {
            if (substitutions() > attributedUtf8 && !log.has(AnomalyKind.INVALID_UTF8)) {
                log.note(AnomalyKind.INVALID_UTF8, null, 0, "the file holds " + substitutions()
                        + " byte sequence(s) that are not UTF-8: save it as UTF-8");
            }
        }

        private void deliver(Row row) {
            checkUtf8(row);
            if (header == null) {
                headerOnFirstLine = row.line() == 1 && !hasLineBreak(row);
                header = header(row);
                sink.header(header, row.line());
            } else {
                sink.row(row);
            }
        }

        private static boolean hasLineBreak(Row row) {
            char[] c = row.chars();
            for (int i = 0; i < row.used(); i++) {
                if (c[i] == '\n' || c[i] == '\r') {
                    return true;
                }
            }
            return false;
        }

        private void checkUtf8(Row row) {
            if (substitutions() <= attributedUtf8) {
                return;
            }
            char[] c = row.chars();
            int fields = Math.min(row.size(), Row.MAX_FIELDS);
            for (int f = 0; f < fields; f++) {
                int found = 0;
                for (int i = row.start(f), end = i + row.length(f); i < end; i++) {
                    if (c[i] == '\uFFFD') {
                        found++;
                    }
                }
                if (found > 0) {
                    attributedUtf8 += found;
                    row.markInvalidUtf8();
                    String column = header == null ? null : f < header.length ? header[f] : null;
                    log.row(AnomalyKind.INVALID_UTF8, column, row.line(), row.text(f));
                }
            }
        }

        private String[] header(Row row) {
            if (row.size() > Row.MAX_FIELDS) {
                log.noteAt(AnomalyKind.UNUSABLE, null, row.line(), null, "the header has " + row.size()
                        + " columns; at most " + Row.MAX_FIELDS + " are supported");
            }
            int n = Math.min(row.size(), Row.MAX_FIELDS);
            String[] names = new String[n];
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < n; i++) {
                names[i] = row.text(i).trim();
                if (names[i].isEmpty()) {
                    log.noteAt(AnomalyKind.EMPTY_HEADER_NAME, null, row.line(), null, "header column " + (i + 1)
                            + " on line " + row.line() + " is blank: every column needs a name");
                    continue;
                }
                Integer previous = seen.putIfAbsent(names[i], i + 1);
                if (previous != null) {
                    log.noteAt(AnomalyKind.DUPLICATE_HEADER_NAME, names[i], row.line(), names[i],
                            "header name \"" + Anomaly.shorten(names[i]) + "\" is used by columns " + previous
                                    + " and " + (i + 1) + " on line " + row.line() + ": every column needs its own name");
                }
            }
            return names;
        }

        /**
         * Whether the input's end closes the last field's quote: the closing quote is the last character before
         * at most one line break, so the run of quotes there is odd (each quote inside the value is written twice)
         * unless the value is nothing but quotes, when the opening quote joins the run.
         */
        private static boolean quoteClosed(Row row, String tail) {
            String t = tail;
            if (t.endsWith("\r\n")) {
                t = t.substring(0, t.length() - 2);
            } else if (t.endsWith("\n") || t.endsWith("\r")) {
                t = t.substring(0, t.length() - 1);
            }
            int run = 0;
            while (run < t.length() && t.charAt(t.length() - 1 - run) == '"') {
                run++;
            }
            if (run == tail.length()) {
                return true; // a longer run than is kept: cannot tell, give it the benefit of the doubt
            }
            int last = Math.min(row.size(), Row.MAX_FIELDS) - 1;
            char[] c = row.chars();
            int quotes = 0;
            int i = row.start(last) + row.length(last) - 1;
            while (i >= row.start(last) && c[i] == '"') {
                quotes++;
                i--;
            }
            boolean allQuotes = quotes == row.length(last);
            return run == (allQuotes ? 2 * quotes + 2 : 2 * quotes + 1);
        }
    }
}
