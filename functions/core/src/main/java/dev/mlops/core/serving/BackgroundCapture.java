package dev.mlops.core.serving;

import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.MetricsSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes captures off the request path: {@link #capture} only puts the record in a bounded queue, and one
 * daemon thread (started on the first capture) adds them to a {@link CaptureBatcher}, which writes one
 * object per batch. When the queue is full the capture is dropped, never waited for: a prediction is not
 * slowed by its capture. Drops and lost batches are counted ({@code CaptureDropped}, {@code CaptureFailures},
 * summed and emitted at most once a second, so an outage does not flood the metrics).
 *
 * <p><b>What a container can lose</b> (docs/closing-the-loop.md "Capture, off the request path"): on Lambda this thread runs only while the
 * environment is not frozen, so when Lambda retires an environment without a shutdown signal, what it had
 * not written is lost: at most the queue ({@code capacity}) plus one batch per model ({@link
 * CaptureBatcher.Settings}), all captured in the batch age ({@code maxAge}) before the environment was
 * frozen for the last time. {@link #close()} (a JVM shutdown hook, which Lambda runs when it sends SIGTERM)
 * writes everything.
 */
public final class BackgroundCapture implements CaptureSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BackgroundCapture.class.getName());
    private static final long METRIC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_WAIT_MILLIS = 1_000;
    private static final long DRAIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Empty drains (about a second) after which the writer waits on the queue again, instead of polling it. */
    private static final int IDLE_DRAINS = 1_000;

    private final CaptureBatcher batcher;
    private final MetricsSink metrics;
    private final BlockingQueue<CapturedRequest> queue;
    private final AtomicLong dropped = new AtomicLong();
    private long reportedDropped;
    private long reportedFailed;
    private long lastReport = System.nanoTime();
    private volatile Thread worker;
    private volatile boolean closed;

    /**
     * @param batcher  where captures are batched and written (on the background thread)
     * @param metrics  where losses are counted
     * @param capacity how many captures may wait; more are dropped
     */
    public BackgroundCapture(CaptureBatcher batcher, MetricsSink metrics, int capacity) {
        this.batcher = batcher;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void capture(CapturedRequest request) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        ensureStarted();
        if (!queue.offer(request)) {
            dropped.incrementAndGet();
        }
    }

    /** Captures dropped because the queue was full (or the writer closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Captures lost because their batch could not be written. */
    public long failed() {
        return batcher.failed();
    }

    /** Captures written. */
    public long written() {
        return batcher.written();
    }

    /** Captures waiting to be written: queued or in a batch. */
    public int pending() {
        return queue.size() + batcher.buffered();
    }

    /** Writes everything captured so far, on the calling thread (SnapStart checkpoint, tests, tools). */
    public void flush() {
        synchronized (batcher) {
            drainInto();
            batcher.flush();
        }
        report(true);
    }

    /** Writes everything and stops taking captures (a JVM shutdown hook calls this). */
    @Override
    public void close() {
        closed = true;
        flush();
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    private void ensureStarted() {
        if (worker == null) {
            synchronized (this) {
                if (worker == null) {
                    Thread t = new Thread(this::run, "capture-writer");
                    t.setDaemon(true);
                    t.start();
                    worker = t;
                }
            }
        }
    }

    private void run() {
        int idle = 0;
        while (!closed) {
            try {
                CapturedRequest next;
                if (idle < IDLE_DRAINS) {
                    // While captures flow, drain the queue every millisecond rather than wait on it: a waiting
                    // writer must be woken by each prediction's offer (a futex call on the request path).
                    LockSupport.parkNanos(DRAIN_PERIOD_NANOS);
                    next = queue.poll();
                } else {
                    long wait = Math.max(1, Math.min(MAX_WAIT_MILLIS, batcher.untilDue().toMillis()));
                    next = queue.poll(wait, TimeUnit.MILLISECONDS);
                }
                idle = next == null ? Math.min(idle + 1, IDLE_DRAINS) : 0;
                synchronized (batcher) {
                    if (next != null) {
                        batcher.add(next);
                        drainInto();
                    }
                    batcher.flushDue();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Never let the writer die: a capture that cannot even be serialised is counted as lost.
                LOG.log(Level.WARNING, "capture writer", new Object[] {Map.of("error", String.valueOf(e))});
            }
            report(false);
        }
    }

    private void drainInto() {
        List<CapturedRequest> more = new ArrayList<>();
        queue.drainTo(more);
        for (CapturedRequest r : more) {
            batcher.add(r);
        }
    }

    /** Emits the losses since the last report, at most once a second (unless {@code now}). */
    private synchronized void report(boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastReport < METRIC_INTERVAL_NANOS) {
            return;
        }
        lastReport = t;
        long d = dropped.get();
        long f = batcher.failed();
        if (d > reportedDropped) {
            metrics.count("CaptureDropped", d - reportedDropped, Map.of());
            reportedDropped = d;
        }
        if (f > reportedFailed) {
            metrics.count("CaptureFailures", f - reportedFailed, Map.of());
            LOG.log(Level.WARNING, "captures not written", new Object[] {Map.of("count", f - reportedFailed,
                    "error", batcher.lastError())});
            reportedFailed = f;
        }
    }
}
