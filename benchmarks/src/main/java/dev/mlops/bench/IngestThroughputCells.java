package dev.mlops.bench;

import dev.mlops.core.data.MissingMarkers;
import dev.mlops.core.data.NumberParser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The per-cell steps of the ingest pass alone, on the cells of a CSV file held in memory: the missing-marker check
 * ({@link MissingMarkers#isMissing}) and number parsing ({@link NumberParser#parse}), each timed over every cell of
 * the file's first 60 MB (split at commas and line breaks), best CPU time of eight repetitions. It measures one
 * step apart from the rest of the pass, whose time moves by ±10 % on a shared machine: A/B two builds of
 * functions/core by running it with each core jar in turn, pinned.
 *
 * <pre>
 *   taskset -c 1 java -cp "benchmarks/target/classes:CORE_JAR:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.IngestThroughputCells FILE
 * </pre>
 */
public final class IngestThroughputCells {

    private static final int MAX_BYTES = 60_000_000;
    private static final int REPETITIONS = 8;

    private IngestThroughputCells() {
    }

    public static void main(String[] args) throws Exception {
        byte[] file = Files.readAllBytes(Path.of(args[0]));
        int n = Math.min(file.length, MAX_BYTES);
        char[] chars = new char[n];
        int[] start = new int[n / 2 + 1];
        int[] length = new int[n / 2 + 1];
        int cells = 0;
        int from = 0;
        for (int i = 0; i < n; i++) {
            chars[i] = (char) (file[i] & 0xFF);
            if (file[i] == ',' || file[i] == '\n') {
                start[cells] = from;
                length[cells++] = i - from;
                from = i + 1;
            }
        }
        MissingMarkers markers = MissingMarkers.DEFAULT;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double bestMissing = Double.MAX_VALUE;
        double bestParse = Double.MAX_VALUE;
        long missing = 0;
        double sum = 0;
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < cells; k++) {
                missing += markers.isMissing(chars, start[k], length[k]) ? 1 : 0;
            }
            long t1 = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < cells; k++) {
                double v = NumberParser.parse(chars, start[k], length[k]);
                sum += v == v ? v : 0;
            }
            long t2 = threads.getCurrentThreadCpuTime();
            bestMissing = Math.min(bestMissing, (t1 - t0) / 1e9);
            bestParse = Math.min(bestParse, (t2 - t1) / 1e9);
        }
        System.out.printf(Locale.ROOT, "{\"cells\": %d, \"missing_ns_per_cell\": %.1f, \"parse_ns_per_cell\": %.1f,"
                        + " \"check\": [%d, %.1f]}%n", cells, bestMissing * 1e9 / cells, bestParse * 1e9 / cells,
                missing, sum);
    }
}
