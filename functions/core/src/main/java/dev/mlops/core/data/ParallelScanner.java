package dev.mlops.core.data;

import dev.mlops.core.TaskFailures;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One scan of a file on every core: the file's SHA-256 on one thread, its parts ({@link CsvParts}: byte ranges
 * of whole lines) on a pool of {@code threads}, merged in file order as they finish ({@link DatasetScanner.Merge}),
 * into the {@link DatasetScan} one pass gives. A few parts are in flight at a time (one more than the threads), so
 * memory stays flat whatever the file's size.
 *
 * <p>Where parts cannot give one pass's answer ({@link DatasetScanner.Merge#finish}: a boundary inside a quoted
 * line break, validation stopped at {@link ValidationConfig#maxErrorRows()}, too many label classes; or a header
 * that is not the first line) the file is scanned again in one pass, which is exact: such files are rare and most
 * of them are broken.
 */
public final class ParallelScanner {

    /** Below this, one pass (threads and merges would cost more than they save). */
    static final long MIN_PARALLEL_BYTES = 8L << 20;
    /**
     * Parts per thread: one. A part that starts after C2 has compiled the row loop takes paths its profile never
     * saw (a fresh part's reservoirs filling, its first label classes), and each such uncommon trap recompiles the
     * pass's largest method (about half a second of CPU here); with four parts per thread `./mlops validate` on
     * 1M rows spent about 2 s more CPU and wall than with one (BENCHMARKS.md, "The per-core pass and the JIT").
     * One such event: DataSketches' HLL {@code Union}, first loaded as a part ends, is a second subclass of the HLL
     * sketch's base class, and loading it throws away all code compiled with the sketch inlined; loading it early
     * did not make more parts pay (BENCHMARKS.md, "Validate: the digest primed, a part's line breaks counted once").
     */
    private static final int PARTS_PER_THREAD = 1;
    /** The smallest part planned (each part costs a merge of its sketches and row hashes). */
    private static final long MIN_PART_BYTES = 4L << 20;

    /** From this size on a file is worth {@link #prime}: below it, priming costs a small run more than it saves. */
    public static final long PRIME_FROM_BYTES = MIN_PARALLEL_BYTES;

    /**
     * Values per column {@link #prime} runs: many of the sampler's strata, and not a whole number of them, so the last
     * stratum's path is compiled too.
     */
    private static final int PRIME_VALUES = 200_003;

    /** The rows of the file the priming's sketches are sized for: sampled from the first value, as a big file's. */
    private static final long PRIME_FILE_ROWS = 1_000_000;

    /** Updates {@link #primeDigest} makes, of two blocks each (2.5 MB). */
    private static final int PRIME_DIGEST_UPDATES = 20_000;

    private ParallelScanner() {
    }

    /**
     * Runs SHA-256 on a few MB ({@link #primeDigest}) and two columns' sketches ({@link NumericStats}: KLL, HLL, the
     * reservoir) on random values and throws them away, so that the JIT has compiled the digest's and the sketches'
     * code before a scan needs it. For a command line's own JVM, on a core that is idle while the command line is
     * parsed: in a short-lived JVM the sketches' code, compiled and recompiled while the parts were scanned, was
     * about a third of {@code ./mlops validate}'s CPU on 1M rows (BENCHMARKS.md, "Validate on every core"). The
     * values take every path a scan's do, so that the code compiled here is not thrown away at the scan's first rare
     * case (an uncommon trap, then a recompile): new extremes throughout (a widening spread), zeros of both signs, and
     * a second column's first values.
     */
    public static void prime() {
        primeDigest();
        SplittableRandom random = new SplittableRandom(1);
        for (int column = 0; column < 2; column++) {
            NumericStats s = new NumericStats(PRIME_FILE_ROWS);
            for (int i = 0; i < PRIME_VALUES; i++) {
                s.add(i % 1_000 == 999 ? (i % 2_000 == 999 ? 0.0 : -0.0) : random.nextGaussian() * (1 + i / 1_000.0));
            }
            s.profile("primed");
        }
    }

    /**
     * SHA-256 over a few MB in small updates, so that C2 compiles the digest's callers early, while its queue is
     * short. C2 puts the CPU's SHA instructions in place of the block function where it compiles a call to it (C1
     * does not), so the digest is only fast once {@code SHA2.implCompress} and {@code implCompressMultiBlock0} are
     * compiled by C2. Without this, with the parts' methods ahead of them in C2's queue, they were compiled 0.33 to
     * 1.02 s into {@code ./mlops validate} on 1M rows (three runs, {@code -XX:+PrintCompilation}), the digest's
     * thread hashing in plain code until then; with it, at 0.11 s. Worth 0.02 to 0.08 s of that command's wall time
     * and 0.08 to 0.14 s of its CPU (three A/B runs of 12 to 14 rounds; BENCHMARKS.md, "Validate: the digest
     * primed, a part's line breaks counted once").
     */
    private static void primeDigest() {
        MessageDigest sha = newSha256();
        byte[] twoBlocks = new byte[128];
        for (int i = 0; i < PRIME_DIGEST_UPDATES; i++) {
            sha.update(twoBlocks, 0, twoBlocks.length);
        }
        sha.digest();
    }

    /**
     * Scans the bytes of {@code source} (a file, an object by ranges) on {@code threads} threads.
     *
     * @param progress told the bytes scanned so far, as parts are merged (may be null)
     * @throws IOException when the input cannot be read
     */
    public static DatasetScan scan(CsvParts.RangeSource source, DatasetScanner.Mode mode, ValidationConfig config,
                                   int threads, LongConsumer progress) throws IOException {
        return scan(source, mode, config, threads, progress, MIN_PARALLEL_BYTES, 0);
    }

    /** As above, in parts from {@code minParallelBytes} on, of {@code partBytes} (0: chosen from the size). */
    static DatasetScan scan(CsvParts.RangeSource source, DatasetScanner.Mode mode, ValidationConfig config,
                            int threads, LongConsumer progress, long minParallelBytes, long partBytes)
            throws IOException {
        long size = source.size();
        if (threads < 2 || size < minParallelBytes || size == 0) {
            return onePass(source, mode, config, progress);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1, daemons());
        try {
            Future<Digest> sha256 = pool.submit(() -> sha256(source));
            Optional<DatasetScanner.Settled> settled;
            try (InputStream head = source.open(0, size - 1)) {
                settled = DatasetScanner.settle(head, mode, config);
            }
            if (settled.isEmpty()) {
                return onePass(source, mode, config, progress);
            }
            Optional<DatasetScan> merged = inParts(source, settled.get(), config, threads, pool, sha256, progress,
                    partBytes > 0 ? partBytes
                            : Math.max(MIN_PART_BYTES, size / ((long) threads * PARTS_PER_THREAD)));
            return merged.isPresent() ? merged.get() : onePass(source, mode, config, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Optional<DatasetScan> inParts(CsvParts.RangeSource source, DatasetScanner.Settled settled,
                                                 ValidationConfig config, int threads, ExecutorService pool,
                                                 Future<Digest> sha256, LongConsumer progress, long partBytes)
            throws IOException {
        long size = source.size();
        CsvParts.Plan plan = CsvParts.plan(source, partBytes);
        List<CsvParts.Part> parts = plan.parts();
        DatasetScanner.Settled sized = settled.withExpectedRows(CsvParts.estimatedRows(source, plan.headerLast()));
        DatasetScanner.Merge merge = new DatasetScanner.Merge(sized, config);
        Deque<InFlight> inFlight = new ArrayDeque<>();
        int next = 0;
        long done = plan.headerLast() + 1;
        while (next < parts.size() || !inFlight.isEmpty()) {
            while (next < parts.size() && inFlight.size() <= threads) {
                CsvParts.Part p = parts.get(next++);
                inFlight.add(new InFlight(p, pool.submit(() -> scanPart(source, p, sized, config))));
            }
            InFlight oldest = inFlight.poll();
            merge.add(get(oldest.scan()));
            if (merge.inexact() != null) {
                return Optional.empty();
            }
            done += oldest.part().bytes();
            if (progress != null) {
                progress.accept(done);
            }
        }
        Digest digest = get(sha256);
        return merge.finish(digest.sha256(), digest.bytes());
    }

    /** A part being scanned. */
    private record InFlight(CsvParts.Part part, Future<PartScan> scan) {
    }

    private static PartScan scanPart(CsvParts.RangeSource source, CsvParts.Part p, DatasetScanner.Settled settled,
                                     ValidationConfig config) throws IOException {
        try (InputStream in = source.open(p.first(), p.last())) {
            return DatasetScanner.scanPart(in, p.part(), settled, config);
        }
    }

    private static DatasetScan onePass(CsvParts.RangeSource source, DatasetScanner.Mode mode, ValidationConfig config,
                                       LongConsumer progress) throws IOException {
        long size = source.size();
        try (InputStream in = source.open(0, Math.max(0, size - 1))) {
            DatasetScan scan = DatasetScanner.scan(in, mode, config);
            if (progress != null) {
                progress.accept(size);
            }
            return scan;
        }
    }

    /** The SHA-256 of every byte read, and how many were read (the object's size, unless it changed). */
    private record Digest(String sha256, long bytes) {
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static Digest sha256(CsvParts.RangeSource source) throws IOException {
        MessageDigest sha = newSha256();
        byte[] buffer = new byte[256 * 1024];
        long bytes = 0;
        try (InputStream in = source.open(0, source.size() - 1)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
                bytes += n;
            }
        }
        return new Digest(HexFormat.of().formatHex(sha.digest()), bytes);
    }

    private static <T> T get(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scanning", e);
        } catch (ExecutionException e) {
            throw TaskFailures.rethrown(e.getCause());
        }
    }

    private static java.util.concurrent.ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "scan-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
