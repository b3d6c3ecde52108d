package dev.mlops.core.serving;

import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.MetricsSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes captures off the request path: {@link #capture} only puts the record in a bounded queue, and one
 * daemon thread (started on the first capture) adds them to a {@link CaptureBatcher}, which writes one
 * object per batch. When the queue is full the capture is dropped, never waited for: a prediction is not
 * slowed by its capture. What is lost is counted per model ({@code CaptureDropped}: never reached a batch;
 * {@code CaptureFailures}: its batch could not be written; both with a {@code Model} dimension), summed and
 * emitted at most once a second, so an outage does not flood the metrics.
 *
 * <p><b>The writer never dies unnoticed.</b> Whatever it meets (an {@link OutOfMemoryError} included), it counts
 * the captures that the failure cost as dropped, logs it, and goes on; should the thread end all the same, the
 * next capture starts a new one ({@link #restarts()}), and until then drops are still counted and reported.
 *
 * <p><b>A rollout's shadow</b> ({@link #captureWithShadow}): the caller only queues the request, as for any capture,
 * and never waits for the other version nor wakes a thread for it (the writer drains the queue every millisecond).
 * The writer hands it to a second daemon thread, the shadow scorer, which runs at the lowest thread priority, scores
 * the other version and adds the capture to its batch. On a share of a CPU (a Lambda environment, a busy machine)
 * the challenger's scoring then waits for the callers' gaps instead of taking their time (BENCHMARKS.md, Drift (d));
 * plain captures keep the writer's normal priority. The JVM honours the priority only with {@code
 * -XX:ThreadPriorityPolicy=1} (the inference function's {@code JAVA_TOOL_OPTIONS}). A scorer or writer that cannot
 * keep up fills its queue, and what does not fit is dropped and counted ({@code CaptureDropped}, and {@code
 * ShadowSkipped} for the rollout's requests): the evidence thins, the callers are not slowed.
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
    private static final String MODEL = "Model";

    private final CaptureBatcher batcher;
    private final MetricsSink metrics;
    private final BlockingQueue<Pending> queue;
    /** A rollout's captures, handed over by the writer, waiting for the shadow scorer. */
    private final BlockingQueue<Pending> shadows;
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final Map<String, Long> reportedDropped = new HashMap<>();
    private final Map<String, LongAdder> shadowsDropped = new ConcurrentHashMap<>();
    private final Map<String, Long> reportedShadowsDropped = new HashMap<>();
    private final Map<String, Long> reportedFailed = new HashMap<>();
    private final AtomicLong writerErrors = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private long lastReport = System.nanoTime();
    private volatile Thread worker;
    private volatile Thread shadowScorer;
    private boolean everStarted;
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
        this.shadows = new ArrayBlockingQueue<>(capacity);
    }

    /** A queued capture, and what scores its rollout's other version (null outside a rollout). */
    private record Pending(CapturedRequest request, Function<CapturedRequest, Shadow> shadow) {

        CapturedRequest scored() {
            return shadow == null ? request : request.withShadow(shadow.apply(request));
        }
    }

    /** Queues the capture, or drops and counts it; never blocks, never throws. */
    @Override
    public void capture(CapturedRequest request) {
        offer(new Pending(request, null));
    }

    /** Queues the request; the writer thread scores the other version, then batches it with both answers. */
    @Override
    public void captureWithShadow(CapturedRequest request, Function<CapturedRequest, Shadow> shadow) {
        if (!offer(new Pending(request, shadow))) {
            shadowsDropped.computeIfAbsent(request.model(), m -> new LongAdder()).increment();
        }
    }

    private boolean offer(Pending pending) {
        if (closed || !ensureStarted() || !queue.offer(pending)) {
            drop(pending.request().model());
            if (worker == null) {
                report(false); // no writer reports the drops now: the request path does, at most once a second
            }
            return false;
        }
        return true;
    }

    /** Captures dropped: the queue was full, the writer closed, or the writer failed while taking them. */
    public long dropped() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Of those, a rollout's requests, which went uncompared. */
    public long shadowsDropped() {
        return shadowsDropped.values().stream().mapToLong(LongAdder::sum).sum();
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
        return queue.size() + shadows.size() + batcher.buffered();
    }

    /** Errors the writer survived so far (each logged, what it cost counted). */
    public long writerErrors() {
        return writerErrors.get();
    }

    /** Writer threads started again after one had ended. */
    public long restarts() {
        return restarts.get();
    }

    /** Writes everything captured so far, on the calling thread (SnapStart checkpoint, tests, tools). */
    public void flush() {
        synchronized (batcher) {
            drainInto(false);
            List<Pending> waiting = new ArrayList<>();
            shadows.drainTo(waiting);
            for (Pending p : waiting) {
                take(p, false);
            }
            batcher.flush();
        }
        report(true);
    }

    /** Writes everything and stops taking captures (a JVM shutdown hook calls this). */
    @Override
    public void close() {
        closed = true;
        Thread scorer = shadowScorer;
        if (scorer != null) {
            // Let the scorer finish what it is scoring, so that flush writes it.
            scorer.interrupt();
            try {
                scorer.join(MAX_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Whether a writer runs (started now if none does: the first capture, or after one ended). */
    private boolean ensureStarted() {
        if (worker != null) {
            return true;
        }
        synchronized (this) {
            if (worker == null) {
                try {
                    Thread t = new Thread(this::run, "capture-writer");
                    t.setDaemon(true);
                    worker = t;
                    t.start();
                } catch (Throwable cannotStart) {
                    // No thread to be had now (native memory): this capture is dropped, the next one tries again.
                    worker = null;
                    survived("the capture writer could not be started", cannotStart);
                    return false;
                }
                if (everStarted) {
                    restarts.incrementAndGet();
                }
                everStarted = true;
            }
        }
        return true;
    }

    private void run() {
        try {
            int idle = 0;
            while (!closed && !Thread.currentThread().isInterrupted()) {
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
                            take(next, true);
                            drainInto(true);
                        }
                        batcher.flushDue();
                    }
                    report(false);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    // Never let the writer die: what the failure cost is counted (in take, or by the batcher).
                    survived("the capture writer failed and goes on", t);
                }
            }
        } finally {
            // However it ends, the next capture finds no writer and starts one (unless closed).
            synchronized (this) {
                if (worker == Thread.currentThread()) {
                    worker = null;
                }
            }
        }
    }

    private void drainInto(boolean handOff) {
        List<Pending> more = new ArrayList<>();
        queue.drainTo(more);
        for (Pending p : more) {
            take(p, handOff);
        }
    }

    /**
     * Adds the capture to its batch; one with a shadow is handed to the shadow scorer ({@code handOff}, the writer)
     * or scored here first (a flush). One that cannot be added or handed over is dropped and counted, and the others
     * go on.
     */
    private void take(Pending pending, boolean handOff) {
        String model = pending.request().model();
        try {
            if (handOff && pending.shadow() != null) {
                if (!ensureScorerStarted() || !shadows.offer(pending)) {
                    drop(model);
                    shadowsDropped.computeIfAbsent(model, m -> new LongAdder()).increment();
                }
                return;
            }
            batcher.add(pending.scored());
        } catch (Throwable t) {
            drop(model);
            survived("a capture of " + model + " could not be batched", t);
        }
    }

    /** Whether the shadow scorer runs (started now, at the lowest priority, if none does). */
    private boolean ensureScorerStarted() {
        if (shadowScorer != null) {
            return true;
        }
        synchronized (this) {
            if (shadowScorer == null) {
                try {
                    Thread t = new Thread(this::scoreShadows, "shadow-scorer");
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    shadowScorer = t;
                    t.start();
                } catch (Throwable cannotStart) {
                    shadowScorer = null;
                    survived("the shadow scorer could not be started", cannotStart);
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The shadow scorer: waits for the writer's hand-overs (it is woken by the writer, never by a caller), scores the
     * other version outside the batcher's lock, then adds the captures to their batches.
     */
    private void scoreShadows() {
        try {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                try {
                    Pending first = shadows.poll(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    List<Pending> taken = new ArrayList<>();
                    taken.add(first);
                    shadows.drainTo(taken);
                    List<CapturedRequest> scored = new ArrayList<>(taken.size());
                    for (Pending p : taken) {
                        try {
                            scored.add(p.scored());
                        } catch (Throwable t) {
                            drop(p.request().model());
                            survived("a shadow of " + p.request().model() + " could not be scored", t);
                        }
                    }
                    synchronized (batcher) {
                        for (CapturedRequest c : scored) {
                            try {
                                batcher.add(c);
                            } catch (Throwable t) {
                                drop(c.model());
                                survived("a capture of " + c.model() + " could not be batched", t);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    // As the writer: never die of it (what a capture cost is counted above).
                    survived("the shadow scorer failed and goes on", t);
                }
            }
        } finally {
            synchronized (this) {
                if (shadowScorer == Thread.currentThread()) {
                    shadowScorer = null;
                }
            }
        }
    }

    private void drop(String model) {
        dropped.computeIfAbsent(model, m -> new LongAdder()).increment();
    }

    private void survived(String what, Throwable t) {
        writerErrors.incrementAndGet();
        try {
            LOG.log(Level.WARNING, what, new Object[] {Map.of("error", String.valueOf(t))});
        } catch (Throwable cannotLog) {
            // counted above; the log line is what could not be had
        }
    }

    /**
     * Emits the losses since the last report, per model, at most once a second (unless {@code now}). Never called
     * with the batcher's lock held (this lock, then the batcher's: one order).
     */
    private synchronized void report(boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastReport < METRIC_INTERVAL_NANOS) {
            return;
        }
        lastReport = t;
        for (Map.Entry<String, LongAdder> e : dropped.entrySet()) {
            long d = e.getValue().sum();
            long before = reportedDropped.getOrDefault(e.getKey(), 0L);
            if (d > before) {
                metrics.count("CaptureDropped", d - before, Map.of(MODEL, e.getKey()));
                reportedDropped.put(e.getKey(), d);
            }
        }
        for (Map.Entry<String, LongAdder> e : shadowsDropped.entrySet()) {
            long d = e.getValue().sum();
            long before = reportedShadowsDropped.getOrDefault(e.getKey(), 0L);
            if (d > before) {
                metrics.count("ShadowSkipped", d - before, Map.of(MODEL, e.getKey()));
                reportedShadowsDropped.put(e.getKey(), d);
            }
        }
        for (Map.Entry<String, Long> e : batcher.failedByModel().entrySet()) {
            long before = reportedFailed.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > before) {
                metrics.count("CaptureFailures", e.getValue() - before, Map.of(MODEL, e.getKey()));
                LOG.log(Level.WARNING, "captures not written", new Object[] {Map.of("model", e.getKey(),
                        "count", e.getValue() - before, "error", batcher.lastError())});
                reportedFailed.put(e.getKey(), e.getValue());
            }
        }
    }
}
