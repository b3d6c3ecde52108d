package dev.mlops.core.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads a whole CSV file into a {@link CsvTable}, with the same reading rules as ingest validation
 * ({@link CsvStream}: FastCSV's strict RFC 4180 parser for UTF-8 input; quoted fields with {@code ""} escapes
 * and embedded commas and line breaks, CRLF or LF line endings, a leading byte order mark, blank lines
 * skipped). Anything that does not make a well-formed table is a {@link CsvFormatException} naming the
 * 1-based line: an empty file, blank or duplicate header names, rows whose field count differs from the header,
 * an unterminated quote, text after a closing quote, invalid UTF-8 and exceeded {@link CsvLimits}.
 *
 * <p>Header names are trimmed; data cells are kept verbatim, compactly ({@link CompactRows}).
 */
public final class CsvParser {

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
        Hashed read = read(in, limits);
        if (read.failure() != null) {
            throw read.failure();
        }
        return read.table();
    }

    /**
     * A table, or why there is none, and the SHA-256 of the bytes read.
     *
     * @param table   the table, {@code null} on failure
     * @param sha256  SHA-256 of every byte of the input
     * @param failure why the input is not a table, or {@code null}
     */
    public record Hashed(CsvTable table, String sha256, CsvFormatException failure) {
    }

    /**
     * Parses and hashes; see {@link #parse}. A file that is not a table still has its hash, and the failure
     * says why.
     *
     * @throws CsvFormatException if the input cannot be read at all, or exceeds {@code limits.maxBytes()}
     */
    public static Hashed read(InputStream in, CsvLimits limits) throws CsvFormatException {
        AnomalyLog log = new AnomalyLog(ValidationConfig.defaults());
        Builder builder = new Builder(limits);
        CsvStream.Read read;
        try {
            read = CsvStream.read(new Limited(in, limits.maxBytes()), log, builder);
        } catch (TooLarge e) {
            throw new CsvFormatException(0, "file is larger than the limit of " + limits.maxBytes() + " bytes");
        } catch (IOException e) {
            throw new CsvFormatException(0, "could not read CSV input: " + e.getMessage());
        }
        if (builder.failure != null) {
            return new Hashed(null, read.sha256(), builder.failure);
        }
        for (Anomaly a : log.anomalies(e -> e.kind() + " on line " + e.firstLine())) {
            if (a.kind().blocking()) {
                long line = a.examples().isEmpty() ? (a.kind() == AnomalyKind.EMPTY_FILE ? 1 : 0)
                        : a.examples().get(0).line();
                String message = a.kind() == AnomalyKind.INVALID_UTF8
                        ? "input is not valid UTF-8 (line " + line + ")" : a.message();
                return new Hashed(null, read.sha256(), new CsvFormatException((int) line, message));
            }
        }
        return new Hashed(CsvTable.of(List.of(builder.header), builder.rows), read.sha256(), null);
    }

    /** Collects the rows; stops at the first ragged row or exceeded limit. */
    private static final class Builder implements CsvStream.Sink {
        private final CsvLimits limits;
        String[] header;
        CompactRows rows;
        CsvFormatException failure;

        Builder(CsvLimits limits) {
            this.limits = limits;
        }

        @Override
        public void header(String[] names, long line) {
            header = names;
            if (names.length > limits.maxColumns()) {
                failure = new CsvFormatException((int) line, "header has more than " + limits.maxColumns()
                        + " columns (limit exceeded)");
            }
            rows = new CompactRows(names.length);
        }

        @Override
        public void row(Row row) {
            if (failure != null) {
                return;
            }
            if (row.size() != header.length) {
                failure = new CsvFormatException((int) row.line(), "line " + row.line() + " has " + row.size()
                        + " fields, header has " + header.length);
            } else if (rows.size() >= limits.maxRows()) {
                failure = new CsvFormatException((int) row.line(), "more than " + limits.maxRows()
                        + " data rows (limit exceeded on line " + row.line() + ")");
            } else {
                rows.add(row);
            }
        }

        @Override
        public boolean stopped() {
            return failure != null;
        }
    }

    /** Signals that the byte limit was exceeded. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Fails once more than the limit has been read. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > max) {
                throw new TooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > max) {
                throw new TooLarge();
            }
            return n;
        }
    }
}
