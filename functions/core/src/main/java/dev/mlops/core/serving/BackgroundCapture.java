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
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes captures off the request path: {@link #capture} only puts the record in a bounded queue, and one
 * daemon thread (started on the first capture) adds them to a {@link CaptureBatcher}, which writes one
 * object per batch. When the queue is full the capture is dropped, never waited for: a prediction is not
 * slowed by its capture. Drops and lost batches are counted ({@code CaptureDropped}, {@code CaptureFailures},
 * summed and emitted at most once a second, so an outage does not flood the metrics).
 *
 * <p><b>A rollout's shadow</b> ({@link #captureWithShadow}) is scored by the same thread, just before the capture
 * joins its batch: the caller only queues the request, as for any capture, and never waits for the other version
 * nor wakes a thread for it (the writer drains the queue every millisecond). A writer that cannot keep up fills the
 * queue, and what does not fit is dropped and counted ({@code CaptureDropped}, and {@code ShadowSkipped} for the
 * rollout's requests): the evidence thins, the callers are not slowed.
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
    private final BlockingQueue<Pending> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong shadowsDropped = new AtomicLong();
    private long reportedDropped;
    private long reportedShadowsDropped;
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

    /** A queued capture, and what scores its rollout's other version (null outside a rollout). */
    private record Pending(CapturedRequest request, Function<CapturedRequest, Shadow> shadow) {

        CapturedRequest scored() {
            return shadow == null ? request : request.withShadow(shadow.apply(request));
        }
    }

    @Override
    public void capture(CapturedRequest request) {
        offer(new Pending(request, null));
    }

    /** Queues the request; the writer thread scores the other version, then batches it with both answers. */
    @Override
    public void captureWithShadow(CapturedRequest request, Function<CapturedRequest, Shadow> shadow) {
        if (!offer(new Pending(request, shadow))) {
            shadowsDropped.incrementAndGet();
        }
    }

    private boolean offer(Pending pending) {
        if (!closed) {
            ensureStarted();
            if (queue.offer(pending)) {
                return true;
            }
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Captures dropped because the queue was full (or the writer closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Of those, a rollout's requests, which went uncompared. */
    public long shadowsDropped() {
        return shadowsDropped.get();
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
                Pending next;
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
                        batcher.add(next.scored());
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
        List<Pending> more = new ArrayList<>();
        queue.drainTo(more);
        for (Pending p : more) {
            batcher.add(p.scored());
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
        long s = shadowsDropped.get();
        if (d > reportedDropped) {
            metrics.count("CaptureDropped", d - reportedDropped, Map.of());
            reportedDropped = d;
        }
        if (s > reportedShadowsDropped) {
            metrics.count("ShadowSkipped", s - reportedShadowsDropped, Map.of());
            reportedShadowsDropped = s;
        }
        if (f > reportedFailed) {
            metrics.count("CaptureFailures", f - reportedFailed, Map.of());
            LOG.log(Level.WARNING, "captures not written", new Object[] {Map.of("count", f - reportedFailed,
                    "error", batcher.lastError())});
            reportedFailed = f;
        }
    }
}
