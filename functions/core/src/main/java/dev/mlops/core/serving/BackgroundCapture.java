package dev.mlops.core.serving;

import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.MetricsSink;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes captures off the request path: {@link #capture} only puts the record in a bounded queue,
 * and one daemon thread (started on the first capture) hands them to the real sink one by one.
 * When the queue is full the capture is dropped, never waited for: a prediction is not slowed by
 * its capture. Drops and sink failures are counted ({@code CaptureDropped}, {@code CaptureFailures},
 * summed and emitted at most once a second, so an outage does not flood the metrics) and readable
 * with {@link #dropped()} / {@link #failed()}.
 *
 * <p>This is the simplest honest step, not the capture design: on Lambda the thread runs only while
 * the environment is not frozen, so a capture waits for the next invocation to be written, and the
 * queue is lost when Lambda retires the environment. Batching, the file format and delivery
 * guarantees belong to the capture redesign.
 */
public final class BackgroundCapture implements CaptureSink {

    private static final Logger LOG = Logger.getLogger(BackgroundCapture.class.getName());
    private static final long METRIC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final CaptureSink sink;
    private final MetricsSink metrics;
    private final BlockingQueue<CapturedRequest> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private long reportedDropped;
    private long reportedFailed;
    private long lastReport = System.nanoTime();
    private String lastError = "";
    private volatile Thread worker;

    /**
     * @param sink     where captures are written (on the background thread)
     * @param metrics  where losses are counted
     * @param capacity how many captures may wait; more are dropped
     */
    public BackgroundCapture(CaptureSink sink, MetricsSink metrics, int capacity) {
        this.sink = sink;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void capture(CapturedRequest request) {
        ensureStarted();
        if (!queue.offer(request)) {
            dropped.incrementAndGet();
        }
    }

    /** Captures dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Captures the sink failed to write. */
    public long failed() {
        return failed.get();
    }

    /** Captures written. */
    public long written() {
        return written.get();
    }

    /** Captures waiting to be written. */
    public int pending() {
        return queue.size();
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
        while (true) {
            CapturedRequest next;
            try {
                next = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next != null) {
                try {
                    sink.capture(next);
                    written.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    lastError = String.valueOf(e.getMessage());
                }
            }
            report();
        }
    }

    /** Emits the losses since the last report, at most once a second (on the writer thread). */
    private void report() {
        long now = System.nanoTime();
        if (now - lastReport < METRIC_INTERVAL_NANOS) {
            return;
        }
        lastReport = now;
        long d = dropped.get();
        long f = failed.get();
        if (d > reportedDropped) {
            metrics.count("CaptureDropped", d - reportedDropped, Map.of());
            reportedDropped = d;
        }
        if (f > reportedFailed) {
            metrics.count("CaptureFailures", f - reportedFailed, Map.of());
            LOG.log(Level.WARNING, "captures not written", new Object[] {Map.of("count", f - reportedFailed,
                    "error", lastError)});
            reportedFailed = f;
        }
    }
}
