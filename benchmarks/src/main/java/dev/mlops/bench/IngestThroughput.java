package dev.mlops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.mlops.core.data.DatasetScan;
import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.data.ValidationConfig;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest pass (parse + validate + profile, the code the ingest function runs: {@link DatasetScanner}) on a
 * local file, single-threaded, with its time and heap.
 *
 * <pre>
 *   java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.IngestThroughput generate ROWS FILE     # ROWS x (20 numeric + label) CSV
 *   java ... dev.mlops.bench.IngestThroughput scan FILE [REPS]     # one JSON line per pass
 * </pre>
 *
 * Each pass prints rows, wall and CPU seconds of the scanning thread, rows/s, and the heap: the largest heap
 * in use after a collection (what the pass keeps) and the peak of the heap pools (garbage included), both
 * since the JVM started.
 */
public final class IngestThroughput {

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("generate")) {
            generate(Long.parseLong(args[1]), Path.of(args[2]));
        } else if (args.length >= 2 && args[0].equals("scan")) {
            scan(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1);
        } else {
            System.err.println("usage: generate ROWS FILE | scan FILE [REPS]");
            System.exit(2);
        }
    }

    /** 20 numeric features (normal, 4 decimals, like the 1M x 20 file) and a 3-class label. */
    static void generate(long rows, Path file) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder line = new StringBuilder(256);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int c = 0; c < 20; c++) {
                w.write("f" + c + ",");
            }
            w.write("label\n");
            for (long i = 0; i < rows; i++) {
                line.setLength(0);
                for (int c = 0; c < 20; c++) {
                    long v = Math.round(r.nextGaussian() * 100_000); // x10, 4 decimals
                    if (v < 0) {
                        line.append('-');
                        v = -v;
                    }
                    line.append(v / 10_000).append('.');
                    long frac = v % 10_000;
                    line.append(frac < 1000 ? (frac < 100 ? (frac < 10 ? "000" : "00") : "0") : "").append(frac).append(',');
                }
                line.append((char) ('a' + i % 3)).append('\n');
                w.append(line);
            }
        }
    }

    static void scan(Path file, int reps) throws Exception {
        AtomicLong maxAfterGc = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) n.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                            .mapToLong(MemoryUsage::getUsed).sum();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < reps; i++) {
            long wall0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            DatasetScan scan;
            try (InputStream in = Files.newInputStream(file)) {
                scan = DatasetScanner.scan(in, DatasetScanner.Mode.infer("label"), ValidationConfig.defaults());
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            long poolPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    poolPeak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(Locale.ROOT, "{\"pass\": %d, \"rows\": %d, \"bytes\": %d, \"valid\": %s, \"anomalies\": %d,"
                            + " \"wall_s\": %.3f, \"cpu_s\": %.3f, \"rows_per_s_wall\": %.0f, \"rows_per_s_cpu\": %.0f,"
                            + " \"mb_per_s_cpu\": %.1f, \"max_heap_after_gc_mb\": %.1f, \"heap_pool_peak_mb\": %.1f,"
                            + " \"max_heap_mb\": %.0f}%n",
                    i + 1, scan.rows(), scan.bytes(), scan.valid(), scan.anomalies().size(), wall, cpu,
                    scan.rows() / wall, scan.rows() / cpu, scan.bytes() / cpu / 1e6, maxAfterGc.get() / 1e6,
                    poolPeak / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        }
    }
}
