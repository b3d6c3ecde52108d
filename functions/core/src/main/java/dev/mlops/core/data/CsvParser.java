package dev.mlops.core.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 4180 CSV parser for UTF-8 input.
 *
 * <p>Supports quoted fields with {@code ""} escapes and embedded commas and line breaks, quoted header names,
 * CRLF or LF line endings, a leading UTF-8 byte order mark and trailing empty lines. Everything else that is
 * not a well-formed table is rejected with a {@link CsvFormatException} naming the 1-based line: an empty file,
 * blank or duplicate header names, rows whose field count differs from the header, an unterminated quote,
 * text after a closing quote, a blank line between rows, invalid UTF-8 and exceeded {@link CsvLimits}.
 *
 * <p>Header names are trimmed; data cells are kept verbatim.
 */
public final class CsvParser {

    private static final int EOF = -1;

    private CsvParser() {
    }

    /**
     * Parses a whole CSV document. The stream is read to the end (or to the first error) but not closed.
     *
     * @param in     UTF-8 encoded CSV
     * @param limits resource limits
     * @return the parsed table
     * @throws CsvFormatException if the input is not a valid CSV table within the limits
     */
    public static CsvTable parse(InputStream in, CsvLimits limits) throws CsvFormatException {
        CountingStream counted = new CountingStream(in, limits.maxBytes());
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        State st = new State(new InputStreamReader(counted, decoder), limits);
        try {
            return st.run();
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(st.line, "input is not valid UTF-8 (near line " + st.line + ")");
        } catch (LimitException e) {
            throw new CsvFormatException(st.line,
                    "file is larger than the limit of " + limits.maxBytes() + " bytes (reached near line " + st.line + ")");
        } catch (IOException e) {
            throw new CsvFormatException(st.line, "could not read CSV input at line " + st.line + ": " + e.getMessage());
        }
    }

    /** Parsing state; one instance per parse call. */
    private static final class State {
        private final Reader reader;
        private final CsvLimits limits;
        private final char[] buf = new char[64 * 1024];
        private int pos;
        private int len;
        private int pushedBack = Integer.MIN_VALUE;

        int line = 1;
        private List<String> header;
        private final List<List<String>> rows = new ArrayList<>();
        private int pendingBlankLine;

        State(Reader reader, CsvLimits limits) {
            this.reader = reader;
            this.limits = limits;
        }

        private int next() throws IOException {
            if (pushedBack != Integer.MIN_VALUE) {
                int c = pushedBack;
                pushedBack = Integer.MIN_VALUE;
                return c;
            }
            if (pos == len) {
                len = reader.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return EOF;
                }
            }
            return buf[pos++];
        }

        CsvTable run() throws IOException, CsvFormatException {
            int first = next();
            if (first != '\uFEFF') {
                pushedBack = first;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean inQuotes = false;
            boolean wasQuoted = false;
            boolean afterQuote = false;
            int quoteStart = 0;
            int recordStart = 1;
            while (true) {
                int c = next();
                if (inQuotes) {
                    if (c == EOF) {
                        throw new CsvFormatException(quoteStart,
                                "unterminated quoted field starting on line " + quoteStart);
                    } else if (c == '"') {
                        int d = next();
                        if (d == '"') {
                            field.append('"');
                        } else {
                            inQuotes = false;
                            afterQuote = true;
                            pushedBack = d;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                    continue;
                }
                if (c == ',') {
                    addField(fields, field.toString(), recordStart);
                    field.setLength(0);
                    wasQuoted = false;
                    afterQuote = false;
                } else if (c == '\r' || c == '\n' || c == EOF) {
                    if (c == '\r') {
                        int d = next();
                        if (d != '\n') {
                            pushedBack = d;
                        }
                    }
                    boolean blank = fields.isEmpty() && field.length() == 0 && !wasQuoted;
                    if (!blank) {
                        addField(fields, field.toString(), recordStart);
                        endRecord(fields, recordStart);
                        fields = new ArrayList<>();
                    } else if (c != EOF && pendingBlankLine == 0) {
                        pendingBlankLine = line;
                    }
                    field.setLength(0);
                    wasQuoted = false;
                    afterQuote = false;
                    if (c == EOF) {
                        break;
                    }
                    line++;
                    recordStart = line;
                } else if (afterQuote) {
                    throw new CsvFormatException(line, "unexpected character '" + (char) c
                            + "' after closing quote on line " + line + " (a quoted field must be followed by a comma or line end)");
                } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                    inQuotes = true;
                    wasQuoted = true;
                    quoteStart = line;
                } else {
                    field.append((char) c);
                }
            }
            if (header == null) {
                throw new CsvFormatException(1, "empty file: line 1 should contain the header");
            }
            return new CsvTable(header, rows);
        }

        private void addField(List<String> fields, String value, int recordStart) throws CsvFormatException {
            if (fields.size() >= limits.maxColumns()) {
                String what = header == null ? "header" : "line " + recordStart;
                throw new CsvFormatException(recordStart,
                        what + " has more than " + limits.maxColumns() + " columns (limit exceeded)");
            }
            fields.add(value);
        }

        private void endRecord(List<String> fields, int recordStart) throws CsvFormatException {
            if (pendingBlankLine != 0) {
                throw new CsvFormatException(pendingBlankLine, "line " + pendingBlankLine + " is blank");
            }
            if (header == null) {
                header = checkHeader(fields, recordStart);
                return;
            }
            if (fields.size() != header.size()) {
                throw new CsvFormatException(recordStart, "line " + recordStart + " has " + fields.size()
                        + " fields, header has " + header.size());
            }
            if (rows.size() >= limits.maxRows()) {
                throw new CsvFormatException(recordStart, "more than " + limits.maxRows()
                        + " data rows (limit exceeded on line " + recordStart + ")");
            }
            rows.add(List.copyOf(fields));
        }

        private static List<String> checkHeader(List<String> fields, int lineNo) throws CsvFormatException {
            List<String> names = new ArrayList<>(fields.size());
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                String name = fields.get(i).trim();
                if (name.isEmpty()) {
                    throw new CsvFormatException(lineNo, "header column " + (i + 1) + " on line " + lineNo + " is blank");
                }
                Integer previous = seen.putIfAbsent(name, i + 1);
                if (previous != null) {
                    throw new CsvFormatException(lineNo, "duplicate header name \"" + name + "\" in columns "
                            + previous + " and " + (i + 1) + " on line " + lineNo);
                }
                names.add(name);
            }
            return List.copyOf(names);
        }
    }

    /** Signals that the byte limit was exceeded. */
    private static final class LimitException extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Counts bytes and fails once more than the limit has been read. */
    private static final class CountingStream extends FilterInputStream {
        private final long max;
        private long count;

        CountingStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws LimitException {
            count += n;
            if (count > max) {
                throw new LimitException();
            }
        }
    }
}
