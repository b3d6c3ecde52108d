package dev.mlops.core.serving;

import dev.mlops.core.Layout;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.ports.CaptureSink.CapturedRequest;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.memory.InMemoryObjectStore;
import dev.mlops.core.ports.memory.MutableClock;
import dev.mlops.core.ports.memory.RecordingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture writer meets what a starved JVM throws ({@link OutOfMemoryError}s while batching and while
 * writing), goes on, and counts what each cost, per model; a writer thread that ended is started again.
 */
@Timeout(60)
class BackgroundCaptureTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final InMemoryObjectStore store = new InMemoryObjectStore("b", clock);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private BackgroundCapture capture;

    @AfterEach
    void close() {
        if (capture != null) {
            capture.close();
        }
    }

    /** A value whose serialisation throws what a JVM out of heap throws. */
    public static final class Starved {
        public String getValue() {
            throw new OutOfMemoryError("Java heap space (simulated)");
        }
    }

    private CapturedRequest request(String model, int i, Object value) {
        return new CapturedRequest("r" + i, model, 1, clock.instant(), List.of(Map.of("x", value)),
                List.of(new Prediction("a", Map.of("a", 1.0))));
    }

    private BackgroundCapture background(ObjectStore target, int batchRecords) {
        capture = new BackgroundCapture(new CaptureBatcher(target, new CaptureBatcher.Settings(batchRecords, 1 << 20,
                Duration.ofSeconds(60)), clock, () -> "w"), metrics, 100);
        return capture;
    }

    private void awaitWritten(long n) throws InterruptedException {
        while (capture.written() + capture.dropped() + capture.failed() < n) {
            Thread.sleep(5);
        }
    }

    @Test
    void anErrorWhileBatching_shouldDropThatCaptureCounted_andTheWriterGoOn() throws Exception {
        // GIVEN a writer with batches of one request
        background(store, 1);

        // WHEN a capture's serialisation throws an OutOfMemoryError between ordinary captures
        capture.capture(request("iris", 1, 1.0));
        capture.capture(request("iris", 2, new Starved()));
        capture.capture(request("iris", 3, 3.0));
        awaitWritten(3);
        capture.flush();

        // THEN the starved capture is dropped and counted under its model, and the others are written
        assertThat(capture.dropped()).isEqualTo(1);
        assertThat(capture.written()).isEqualTo(2);
        assertThat(capture.writerErrors()).isEqualTo(1);
        assertThat(metrics.total("CaptureDropped", Map.of("Model", "iris"))).isEqualTo(1);
        assertThat(store.list(Layout.capturePrefix("iris"), null)).hasSize(2);
    }

    @Test
    void anErrorWhileWriting_shouldLoseThatBatchCountedPerModel_andTheNextBeWritten() throws Exception {
        // GIVEN a store whose first write throws an OutOfMemoryError
        AtomicInteger puts = new AtomicInteger();
        ObjectStore starving = (ObjectStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put") && puts.incrementAndGet() == 1) {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        background(starving, 2);

        // WHEN two batches of wine arrive
        for (int i = 0; i < 4; i++) {
            capture.capture(request("wine", i, (double) i));
        }
        awaitWritten(4);
        capture.flush();

        // THEN the first batch is lost and counted as failed under its model, the second written
        assertThat(capture.failed()).isEqualTo(2);
        assertThat(capture.written()).isEqualTo(2);
        assertThat(metrics.total("CaptureFailures", Map.of("Model", "wine"))).isEqualTo(2);
        assertThat(store.list(Layout.capturePrefix("wine"), null)).hasSize(1);
    }

    @Test
    void aWriterThreadThatEnded_shouldBeStartedAgainByTheNextCapture_losingNothing() throws Exception {
        // GIVEN a running writer (its thread: the capture writer that was not there before)
        Set<Thread> before = writers();
        background(store, 1);
        capture.capture(request("iris", 1, 1.0));
        awaitWritten(1);
        Set<Thread> ours = writers();
        ours.removeAll(before);
        assertThat(ours).hasSize(1);
        Thread writer = ours.iterator().next();

        // WHEN its thread is ended from outside
        writer.interrupt();
        writer.join(10_000);
        assertThat(writer.isAlive()).isFalse();
        capture.capture(request("iris", 2, 2.0));
        awaitWritten(2);

        // THEN a new writer took the next capture, and everything was written
        assertThat(capture.restarts()).isEqualTo(1);
        assertThat(capture.written()).isEqualTo(2);
        assertThat(capture.dropped()).isZero();
    }

    private static Set<Thread> writers() {
        Set<Thread> writers = new HashSet<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("capture-writer") && t.isAlive())
                .forEach(writers::add);
        return writers;
    }

    @Test
    void drops_shouldBeCountedPerModel() throws Exception {
        // GIVEN a writer whose store hangs until released, so its queue fills
        CountDownLatch gate = new CountDownLatch(1);
        ObjectStore hanging = (ObjectStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put")) {
                        gate.await();
                    }
                    return method.invoke(store, args);
                });
        capture = new BackgroundCapture(new CaptureBatcher(hanging, new CaptureBatcher.Settings(1, 1 << 20,
                Duration.ofSeconds(60)), clock, () -> "w"), metrics, 5);

        // WHEN two models send more than the queue holds
        for (int i = 0; i < 50; i++) {
            capture.capture(request(i % 2 == 0 ? "iris" : "wine", i, (double) i));
        }
        long dropped = capture.dropped();
        gate.countDown();
        capture.close();

        // THEN each drop is counted under the model it belongs to
        assertThat(dropped).isPositive();
        assertThat(metrics.total("CaptureDropped", Map.of("Model", "iris"))
                + metrics.total("CaptureDropped", Map.of("Model", "wine"))).isEqualTo(capture.dropped());
        assertThat(metrics.total("CaptureDropped", Map.of("Model", "iris"))).isPositive();
        assertThat(metrics.total("CaptureDropped", Map.of("Model", "wine"))).isPositive();
        assertThat(metrics.total("CaptureDropped", Map.of())).isZero();
    }
}
