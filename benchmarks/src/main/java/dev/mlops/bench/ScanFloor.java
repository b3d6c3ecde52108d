package dev.mlops.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor under {@code ./mlops validate} on a numeric CSV (BENCHMARKS.md, "Validate: plain lines taken from their
 * bytes, picocli for Java 17"): a new JVM that reads the file on every core, as the command does (byte ranges that
 * start after a line break, one per core, and SHA-256 of the whole file on one more thread), and does the least any
 * profile needs: it cuts lines and fields and parses every numeric cell, keeping a count, sum, minimum and maximum
 * per column. No validation, no sketches, no row hashes, no report: whatever {@code ./mlops validate} takes beyond
 * this is what its checks, sketches and command line cost; this is the least a command that must read, parse and
 * digest the whole file takes in a new JVM on the same machine.
 *
 * <p>Plain decimals ({@code -?\d*\.?\d*}, at most 15 digits) are read as the product's parser reads them (digits as
 * an exact integer, one division by an exact power of ten), anything else by {@link Double#parseDouble}; the last
 * column (the label) is skipped.
 *
 * <pre>java -XX:+UseSerialGC -cp benchmarks/target/classes dev.mlops.bench.ScanFloor FILE [sha|nosha]</pre>
 *
 * Prints one JSON line: rows, the first column's sum (so the work cannot be skipped) and the digest.
 */
public final class ScanFloor {

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15};
    private static final int BUFFER = 1 << 20;

    private ScanFloor() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        boolean sha = args.length < 2 || !args[1].equals("nosha");
        int threads = Runtime.getRuntime().availableProcessors();
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file)) {
            long first = lineEnd(ch, 0, size) + 1;
            int columns = columns(ch, first);
            long[] cuts = new long[threads + 1];
            cuts[0] = first;
            cuts[threads] = size;
            for (int t = 1; t < threads; t++) {
                cuts[t] = Math.max(cuts[t - 1], lineEnd(ch, first + (size - first) * t / threads, size) + 1);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            try {
                Future<String> digest = sha ? pool.submit(() -> sha256(ch, size)) : null;
                List<Future<Stats>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long from = cuts[t];
                    long to = cuts[t + 1];
                    parts.add(pool.submit(() -> scan(ch, from, to, columns - 1)));
                }
                Stats all = new Stats(columns - 1);
                for (Future<Stats> p : parts) {
                    all.add(p.get());
                }
                System.out.printf("{\"rows\": %d, \"sum0\": %.4f, \"min0\": %s, \"max0\": %s, \"parsed_slowly\": %d,"
                                + " \"sha256\": \"%s\"}%n", all.rows, all.sum[0], all.min[0], all.max[0], all.slow,
                        digest == null ? "" : digest.get());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Per column: count, sum, minimum, maximum of the numbers; rows; cells that were not plain decimals. */
    private static final class Stats {
        final long[] count;
        final double[] sum;
        final double[] min;
        final double[] max;
        long rows;
        long slow;

        Stats(int numeric) {
            count = new long[numeric];
            sum = new double[numeric];
            min = new double[numeric];
            max = new double[numeric];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        void add(Stats o) {
            for (int c = 0; c < count.length; c++) {
                count[c] += o.count[c];
                sum[c] += o.sum[c];
                min[c] = Math.min(min[c], o.min[c]);
                max[c] = Math.max(max[c], o.max[c]);
            }
            rows += o.rows;
            slow += o.slow;
        }
    }

    /**
     * One part, bytes {@code [from, to)}, whole lines: a state machine over the bytes, so a field cut by the end of
     * a buffer goes on in the next one.
     */
    private static Stats scan(FileChannel ch, long from, long to, int numeric) throws IOException {
        Stats s = new Stats(numeric);
        ByteBuffer bb = ByteBuffer.allocate(BUFFER);
        byte[] b = bb.array();
        byte[] field = new byte[64];
        int col = 0;
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        int point = 0;
        boolean negative = false;
        boolean plain = true;
        int len = 0;
        for (long pos = from; pos < to; ) {
            bb.clear();
            bb.limit((int) Math.min(BUFFER, to - pos));
            int n = ch.read(bb, pos);
            if (n <= 0) {
                break;
            }
            pos += n;
            for (int i = 0; i < n; i++) {
                byte x = b[i];
                if (x == ',' || x == '\n') {
                    if (col < numeric) {
                        double v;
                        if (plain && digits > 0 && digits <= 15) {
                            v = fraction == 0 ? mantissa : mantissa / POW10[fraction];
                            v = negative ? -v : v;
                        } else {
                            s.slow++;
                            v = Double.parseDouble(new String(field, 0, Math.min(len, field.length)));
                        }
                        s.count[col]++;
                        s.sum[col] += v;
                        s.min[col] = Math.min(s.min[col], v);
                        s.max[col] = Math.max(s.max[col], v);
                    }
                    if (x == '\n') {
                        s.rows++;
                        col = 0;
                    } else {
                        col++;
                    }
                    mantissa = 0;
                    digits = 0;
                    fraction = 0;
                    point = 0;
                    negative = false;
                    plain = true;
                    len = 0;
                } else if (col < numeric) {
                    if (len < field.length) {
                        field[len] = x;
                    }
                    len++;
                    int d = x - '0';
                    if (d >= 0 && d <= 9) {
                        mantissa = mantissa * 10 + d;
                        digits++;
                        fraction += point;
                    } else if (x == '.' && point == 0) {
                        point = 1;
                    } else if (x == '-' && len == 1) {
                        negative = true;
                    } else {
                        plain = false;
                    }
                }
            }
        }
        return s;
    }

    /** Where the line holding byte {@code at} ends (its line break), or the last byte. */
    private static long lineEnd(FileChannel ch, long at, long size) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(64 * 1024);
        for (long pos = at; pos < size; ) {
            bb.clear();
            int n = ch.read(bb, pos);
            for (int i = 0; i < n; i++) {
                if (bb.get(i) == '\n') {
                    return pos + i;
                }
            }
            pos += n;
        }
        return size - 1;
    }

    private static int columns(FileChannel ch, long firstRow) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate((int) firstRow);
        ch.read(bb, 0);
        int columns = 1;
        for (int i = 0; i < firstRow; i++) {
            columns += bb.get(i) == ',' ? 1 : 0;
        }
        return columns;
    }

    private static String sha256(FileChannel ch, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer bb = ByteBuffer.allocate(256 * 1024);
        for (long pos = 0; pos < size; ) {
            bb.clear();
            int n = ch.read(bb, pos);
            if (n <= 0) {
                break;
            }
            sha.update(bb.array(), 0, n);
            pos += n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
