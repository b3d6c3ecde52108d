package dev.mlops.core.data;

import dev.mlops.core.errors.ContractException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans a CSV object as parts of about {@code partBytes} each, every part a byte range of whole lines: it starts
 * after a line break (or right after the header) and ends on one (or at the end of the object). The plan is what a
 * Step Functions Distributed Map reads (AWS has no byte-range ItemReader for CSV): a planner step writes
 * {@link Plan#parts()} as a JSON array, the map's ItemReader reads that array, and each part's worker reads its
 * range with an HTTP Range GET. Local and AWS run the same ASL.
 *
 * <p>Only the bytes around each boundary are read (a window per part), never the whole object. A line break inside
 * a quoted field that falls exactly on a boundary would split that row: parts are for files of one line per row
 * (what batch scoring and the ingest of generated tables take).
 */
public final class CsvParts {

    /** Bytes of an object by range, as S3's Range GET gives them. */
    public interface RangeSource {
        /** The object's size in bytes. */
        long size();

        /** Bytes {@code first} to {@code last}, both included ({@code last} may be past the end). */
        InputStream open(long first, long last) throws IOException;
    }

    /** One part: its index in the plan and its byte range, both ends included. */
    public record Part(int part, long first, long last) {
        public long bytes() {
            return last - first + 1;
        }
    }

    /**
     * A plan: the header's last byte (its line break; -1 for an empty object) and the data parts, in file order.
     */
    public record Plan(long headerLast, List<Part> parts) {
    }

    /** How far past a boundary we look for a line break at a time. */
    private static final int WINDOW = 64 * 1024;

    private CsvParts() {
    }

    /**
     * Plans the parts of an object.
     *
     * @param source    the object's bytes by range
     * @param partBytes the size a part aims at (at least 1): each ends on the first line break at or past it
     * @throws ContractException when the object has no line break after its header (no data rows to plan)
     */
    public static Plan plan(RangeSource source, long partBytes) {
        if (partBytes < 1) {
            throw new IllegalArgumentException("partBytes must be at least 1, not " + partBytes);
        }
        long size = source.size();
        if (size == 0) {
            return new Plan(-1, List.of());
        }
        long headerLast = nextLineBreak(source, 0, size);
        if (headerLast < 0) {
            throw new ContractException("the file has a header and no line break after it: no rows to score");
        }
        List<Part> parts = new ArrayList<>();
        long first = headerLast + 1;
        while (first < size) {
            long target = first + partBytes - 1;
            long last = target >= size - 1 ? size - 1 : nextLineBreak(source, target, size);
            if (last < 0) {
                last = size - 1; // the last line has no line break
            }
            parts.add(new Part(parts.size(), first, last));
            first = last + 1;
        }
        return new Plan(headerLast, List.copyOf(parts));
    }

    /** Bytes at each end of the data that {@link #estimatedRows} counts the line breaks of. */
    static final int ESTIMATE_BYTES = 256 * 1024;

    /**
     * About how many data rows an object has: its bytes after the header over the longer of the average lines of
     * its first and last {@value #ESTIMATE_BYTES} (exact when the data is no longer than that). Two range reads; what
     * the parts' quantile sketches size their sampling by. Erring low only makes them draw more values than they
     * need; a file whose rows are much shorter at both ends than in between is estimated high, and its sketches draw
     * fewer values than {@link NumericStats#MIN_SAMPLES} (more rank error, still the counts and extremes exact).
     *
     * @param headerLast the header's last byte, as {@link Plan#headerLast()}
     */
    public static long estimatedRows(RangeSource source, long headerLast) {
        long size = source.size();
        long data = size - headerLast - 1;
        if (headerLast < 0 || data <= 0) {
            return 0;
        }
        if (data <= ESTIMATE_BYTES) {
            byte[] all = read(source, headerLast + 1, (int) data);
            long lines = lineBreaks(all);
            return lines + (all.length > 0 && all[all.length - 1] != '\n' ? 1 : 0);
        }
        byte[] head = read(source, headerLast + 1, ESTIMATE_BYTES);
        byte[] tail = read(source, size - ESTIMATE_BYTES, ESTIMATE_BYTES);
        long lines = Math.max(1, Math.min(lineBreaks(head), lineBreaks(tail)));
        return Math.max(1, Math.round((double) data * lines / ESTIMATE_BYTES));
    }

    private static byte[] read(RangeSource source, long first, int n) {
        try (InputStream in = source.open(first, first + n - 1)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException("reading bytes " + first + " to " + (first + n - 1)
                    + " to estimate how many rows there are", e);
        }
    }

    private static long lineBreaks(byte[] bytes) {
        long lines = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** The position of the first '\n' at or after {@code from}, or -1 when there is none before {@code size}. */
    private static long nextLineBreak(RangeSource source, long from, long size) {
        byte[] buffer = new byte[WINDOW];
        for (long at = from; at < size; at += WINDOW) {
            try (InputStream in = source.open(at, Math.min(at + WINDOW, size) - 1)) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(WINDOW, size - at));
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        return at + i;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading bytes from " + at + " to plan the parts", e);
            }
        }
        return -1;
    }
}
