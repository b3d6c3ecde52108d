package dev.mlops.core.serving;

import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes captured requests in batches: one gzip'd JSON Lines object per model and batch, keyed by the
 * time it is written ({@link Layout#captureBatchKey}). A batch is written when it holds {@link
 * Settings#maxRecords()} requests or {@link Settings#maxBytes()} bytes of JSON, or when its oldest request
 * has waited {@link Settings#maxAge()}; {@link #flush()} writes everything.
 *
 * <p><b>Loss bound.</b> What is not yet written is at most {@code maxRecords} requests (and {@code maxBytes}
 * of JSON) per model, all captured less than {@code maxAge} ago, as long as {@link #flushDue()} runs (the
 * writer thread calls it at least at every due time). A container that disappears without {@link #flush()}
 * loses at most that; {@code CaptureBatcherTest} checks the bound step by step.
 *
 * <p>A write that fails, however (an S3 error, or an error of the JVM such as an {@link OutOfMemoryError} while
 * the batch is finished), loses its batch, counted per model in {@link #failedByModel()}; so does a batch broken
 * by an error while a request is added to it. Neither blocks or fails a prediction.
 * Not thread-safe on its own: every method is {@code synchronized}, so the writer thread and a shutdown hook
 * can share one.
 */
public final class CaptureBatcher implements CaptureSink {

    /**
     * When a batch is written.
     *
     * @param maxRecords requests per batch
     * @param maxBytes   bytes of JSON per batch (before compression)
     * @param maxAge     longest a captured request waits to be written
     */
    public record Settings(int maxRecords, long maxBytes, Duration maxAge) {

        public Settings {
            if (maxRecords < 1 || maxBytes < 1 || maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("capture batches need positive limits, got " + maxRecords + " records, "
                        + maxBytes + " bytes, " + maxAge);
            }
        }

        /** 10,000 requests, 16 MiB of JSON, 5 seconds (the template's settings). */
        public static Settings defaults() {
            return new Settings(10_000, 16L << 20, Duration.ofSeconds(5));
        }
    }

    /** One model's batch under way. */
    private static final class Batch {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        final OutputStream gzip;
        final Instant started;
        long json;
        int records;

        Batch(Instant started) {
            this.started = started;
            try {
                // Fastest level: the inference function's CPU is for predictions; JSON still shrinks ~5x.
                this.gzip = new GZIPOutputStream(bytes, 8192) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final ObjectStore store;
    private final Settings settings;
    private final Clock clock;
    private final Supplier<String> writerIds;
    private final Map<String, Batch> batches = new HashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> failedByModel = new HashMap<>();
    private final AtomicLong objects = new AtomicLong();
    private String writer;
    private long seq;
    private volatile String lastError = "";

    /**
     * @param writerIds the id that names this container's objects, asked for at the first write (so nothing
     *                  unique is made before a SnapStart snapshot)
     */
    public CaptureBatcher(ObjectStore store, Settings settings, Clock clock, Supplier<String> writerIds) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.writerIds = writerIds;
    }

    /** A batcher whose writer id is 8 random hex digits. */
    public CaptureBatcher(ObjectStore store, Settings settings, Clock clock) {
        this(store, settings, clock, () -> String.format(java.util.Locale.ROOT, "%08x",
                ThreadLocalRandom.current().nextInt()));
    }

    /** Adds a request to its model's batch, then writes whatever is due. */
    @Override
    public synchronized void capture(CapturedRequest request) {
        add(request);
        flushDue();
    }

    /**
     * Adds a request to its model's batch (written when full, or by {@link #flushDue()} when old enough). When
     * this throws, the request is not in any batch; a batch that an error left half-written is dropped and
     * counted as failed.
     */
    public synchronized void add(CapturedRequest request) {
        byte[] line = Json.bytes(request);
        Batch batch = batches.computeIfAbsent(request.model(), m -> new Batch(clock.instant()));
        try {
            batch.gzip.write(line);
            batch.gzip.write('\n');
        } catch (IOException e) {
            discard(request.model(), batch, e);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            discard(request.model(), batch, e);
            throw e;
        }
        batch.records++;
        batch.json += line.length + 1;
        if (batch.records >= settings.maxRecords() || batch.json >= settings.maxBytes()) {
            batches.remove(request.model());
            write(request.model(), batch);
        }
    }

    /** Writes the batches whose oldest request has waited {@code maxAge}. */
    public synchronized void flushDue() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Batch>> it = batches.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Batch> e = it.next();
            if (!now.isBefore(e.getValue().started.plus(settings.maxAge()))) {
                it.remove();
                write(e.getKey(), e.getValue());
            }
        }
    }

    /** Writes every batch now (shutdown, SnapStart checkpoint, tests). */
    public synchronized void flush() {
        for (Map.Entry<String, Batch> e : batches.entrySet()) {
            write(e.getKey(), e.getValue());
        }
        batches.clear();
    }

    /** How long until the next batch is due by age; {@code maxAge} when none waits. */
    public synchronized Duration untilDue() {
        Instant now = clock.instant();
        Duration next = settings.maxAge();
        for (Batch b : batches.values()) {
            Duration left = Duration.between(now, b.started.plus(settings.maxAge()));
            if (left.compareTo(next) < 0) {
                next = left.isNegative() ? Duration.ZERO : left;
            }
        }
        return next;
    }

    /** Requests waiting in batches, not yet written. */
    public synchronized int buffered() {
        int n = 0;
        for (Batch b : batches.values()) {
            n += b.records;
        }
        return n;
    }

    /** Requests written. */
    public long written() {
        return written.get();
    }

    /** Requests lost because their batch could not be written. */
    public long failed() {
        return failed.get();
    }

    /** {@link #failed()} per model. */
    public synchronized Map<String, Long> failedByModel() {
        return Map.copyOf(failedByModel);
    }

    /** Objects written. */
    public long objects() {
        return objects.get();
    }

    /** The last write failure's message. */
    public String lastError() {
        return lastError;
    }

    public Settings settings() {
        return settings;
    }

    private void write(String model, Batch batch) {
        try {
            batch.gzip.close();
            if (writer == null) {
                writer = writerIds.get();
            }
            String key = Layout.captureBatchKey(model, clock.instant(), writer, ++seq);
            store.put(key, batch.bytes.toByteArray(), "application/gzip");
            written.addAndGet(batch.records);
            objects.incrementAndGet();
        } catch (IOException | RuntimeException | Error e) {
            // An Error too (an OutOfMemoryError while compressing): the batch is gone either way, and counted.
            lost(model, batch.records, e);
        }
    }

    /** A batch an error left half-written: dropped, its requests counted as lost. */
    private void discard(String model, Batch batch, Throwable why) {
        batches.remove(model);
        lost(model, batch.records, why);
    }

    private void lost(String model, int records, Throwable why) {
        failed.addAndGet(records);
        failedByModel.merge(model, (long) records, Long::sum);
        lastError = why.getClass().getSimpleName() + ": " + why.getMessage();
    }
}
