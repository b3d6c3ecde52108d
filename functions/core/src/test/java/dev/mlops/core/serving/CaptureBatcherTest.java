package dev.mlops.core.serving;

import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.CaptureSink.CapturedRequest;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.memory.InMemoryObjectStore;
import dev.mlops.core.ports.memory.MutableClock;
import dev.mlops.core.ports.memory.Outage;
import dev.mlops.core.ports.memory.RecordingMetrics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureBatcherTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:59:58Z"));
    private final InMemoryObjectStore store = new InMemoryObjectStore("b", clock);

    private CapturedRequest request(String model, int i) {
        return new CapturedRequest("r" + i, model, 1, clock.instant(), List.of(Map.of("x", (Object) (double) i)),
                List.of(new Prediction("a", Map.of("a", 1.0))));
    }

    /** Request ids written so far per key, parsing each object once. */
    private final Map<String, List<String>> read = new HashMap<>();

    private Set<String> writtenIds(String model) {
        Set<String> ids = new HashSet<>();
        for (ObjectStore.ObjectInfo o : store.list(Layout.capturePrefix(model), null)) {
            ids.addAll(read.computeIfAbsent(o.key(), k -> lines(store.find(k).orElseThrow().bytes()).stream()
                    .map(l -> Json.tree(l.getBytes(StandardCharsets.UTF_8)).path("request_id").asText()).toList()));
        }
        return ids;
    }

    static List<String> lines(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String l : text.split("\n")) {
                if (!l.isEmpty()) {
                    out.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void lossBound_atEveryStep_whatIsNotWrittenIsAtMostMaxRecordsAllCapturedWithinMaxAge() {
        // GIVEN batches of at most 50 requests or 2 seconds, and 3,000 requests at irregular times (bursts and pauses)
        CaptureBatcher.Settings settings = new CaptureBatcher.Settings(50, 1 << 20, Duration.ofSeconds(2));
        CaptureBatcher batcher = new CaptureBatcher(store, settings, clock, () -> "c0ffee01");
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Instant> capturedAt = new LinkedHashMap<>();
        for (int i = 0; i < 3_000; i++) {
            clock.advance(Duration.ofMillis(random.nextInt(10) < 8 ? random.nextInt(20) : random.nextInt(3_000)));
            // WHEN the writer sees each request as it comes (and runs its age check then)
            batcher.capture(request("iris", i));
            capturedAt.put("r" + i, clock.instant());
            // THEN if the container vanished now, what would be lost is inside the bound
            Set<String> written = writtenIds("iris");
            List<String> lost = capturedAt.keySet().stream().filter(id -> !written.contains(id)).toList();
            assertThat(lost).hasSizeLessThanOrEqualTo(settings.maxRecords());
            Instant oldestAllowed = clock.instant().minus(settings.maxAge());
            assertThat(lost).allSatisfy(id -> assertThat(capturedAt.get(id)).isAfter(oldestAllowed));
        }
        // AND a flush (shutdown) writes the rest: nothing lost, nothing twice
        batcher.flush();
        List<String> all = new ArrayList<>();
        for (ObjectStore.ObjectInfo o : store.list(Layout.capturePrefix("iris"), null)) {
            lines(store.find(o.key()).orElseThrow().bytes()).forEach(l -> all.add(l));
        }
        assertThat(all).hasSize(3_000);
        assertThat(batcher.written()).isEqualTo(3_000);
        assertThat(batcher.buffered()).isZero();
    }

    @Test
    void batches_shouldBeKeyedByTheTimeTheyAreWritten_perModel_inTimeOrder() {
        // GIVEN
        CaptureBatcher batcher = new CaptureBatcher(store, new CaptureBatcher.Settings(2, 1 << 20, Duration.ofSeconds(10)),
                clock, () -> "abc");
        // WHEN two models' requests arrive across an hour boundary
        batcher.capture(request("iris", 1));
        batcher.capture(request("wine", 2));
        clock.advance(Duration.ofSeconds(3));
        batcher.capture(request("iris", 3));
        batcher.capture(request("wine", 4));
        // THEN each full batch is one object under its model, in the hour it was written
        assertThat(store.list("capture/", null)).extracting(ObjectStore.ObjectInfo::key).containsExactly(
                "capture/iris/dt=2026-11-27/hour=11/20261127T110001000Z-abc-000001.jsonl.gz",
                "capture/wine/dt=2026-11-27/hour=11/20261127T110001000Z-abc-000002.jsonl.gz");
        assertThat(Layout.keyTime(store.list("capture/iris/", null).get(0).key()))
                .contains(Instant.parse("2026-11-27T11:00:01Z"));
        // AND a window's listing starts after its start, by key
        String after = Layout.timedStartAfter(Layout.capturePrefix("iris"), Instant.parse("2026-11-27T11:00:01Z"));
        assertThat(store.list(Layout.capturePrefix("iris"), after)).isEmpty();
        assertThat(store.list(Layout.capturePrefix("iris"),
                Layout.timedStartAfter(Layout.capturePrefix("iris"), Instant.parse("2026-11-27T11:00:00.999Z")))).hasSize(1);
    }

    @Test
    void aBatchThatCannotBeWritten_shouldBeCountedAsLost_andTheNextOneWrittenAgain() {
        // GIVEN S3 down for one batch
        Outage<ObjectStore> s3 = Outage.of(ObjectStore.class, store);
        CaptureBatcher batcher = new CaptureBatcher(s3.port(), new CaptureBatcher.Settings(3, 1 << 20,
                Duration.ofSeconds(10)), clock, () -> "w");
        s3.down();
        for (int i = 0; i < 3; i++) {
            batcher.capture(request("iris", i));
        }
        // WHEN it comes back
        s3.up();
        for (int i = 3; i < 6; i++) {
            batcher.capture(request("iris", i));
        }
        // THEN the lost batch is counted, the next one written
        assertThat(batcher.failed()).isEqualTo(3);
        assertThat(batcher.lastError()).contains("TransientException");
        assertThat(batcher.written()).isEqualTo(3);
        assertThat(writtenIds("iris")).containsExactlyInAnyOrder("r3", "r4", "r5");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void backgroundCapture_shouldNeverBlockAPrediction_dropWhatDoesNotFit_andWriteTheRestOnClose() throws Exception {
        // GIVEN a store that hangs on its first write, and a queue of 10
        CountDownLatch release = new CountDownLatch(1);
        ObjectStore slow = (ObjectStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put")) {
                        release.await();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RecordingMetrics metrics = new RecordingMetrics();
        BackgroundCapture capture = new BackgroundCapture(new CaptureBatcher(slow,
                new CaptureBatcher.Settings(1, 1 << 20, Duration.ofSeconds(10)), clock), metrics, 10);
        // WHEN 100 captures arrive while the first write hangs (were one to wait for S3, the test would time out)
        for (int i = 0; i < 100; i++) {
            capture.capture(request("iris", i));
        }
        release.countDown();
        capture.close();
        // THEN what did not fit was dropped and counted, the rest written by close()
        assertThat(capture.dropped()).isPositive();
        assertThat(capture.written() + capture.dropped()).isEqualTo(100);
        assertThat(metrics.total("CaptureDropped")).isEqualTo(capture.dropped());
        assertThat(store.list("capture/iris/", null)).hasSize((int) capture.written());
        // AND after close nothing more is taken
        capture.capture(request("iris", 1000));
        assertThat(capture.dropped() + capture.written()).isEqualTo(101);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aRolloutsShadow_shouldBeScoredOnTheShadowScorer_neverTheCallers_andDroppedCountedWhenItCannotKeepUp()
            throws Exception {
        // GIVEN a challenger that takes as long as the test wants to score, and a queue of 10
        StuckChallenger challenger = new StuckChallenger();
        RecordingMetrics metrics = new RecordingMetrics();
        BackgroundCapture capture = new BackgroundCapture(new CaptureBatcher(store,
                new CaptureBatcher.Settings(1000, 1 << 20, Duration.ofSeconds(10)), clock), metrics, 10);
        // WHEN 100 rollout requests are captured while the challenger is stuck (were the caller to score it, or wait
        // for it, the test would time out)
        for (int i = 0; i < 100; i++) {
            capture.captureWithShadow(request("iris", i), challenger);
        }
        // THEN the challenger was only ever scored on the shadow scorer's thread
        challenger.scoring.await();
        assertThat(challenger.threads).containsExactly("shadow-scorer");
        challenger.release.countDown();
        capture.close();
        // AND what did not fit was dropped and counted as uncompared, the rest written with both answers
        assertThat(capture.shadowsDropped()).isPositive().isEqualTo(capture.dropped());
        assertThat(capture.written() + capture.shadowsDropped()).isEqualTo(100);
        assertThat(metrics.total("ShadowSkipped")).isEqualTo(capture.shadowsDropped());
        List<String> lines = new ArrayList<>();
        for (ObjectStore.ObjectInfo o : store.list(Layout.capturePrefix("iris"), null)) {
            lines.addAll(lines(store.find(o.key()).orElseThrow().bytes()));
        }
        assertThat(lines).hasSize((int) capture.written()).allSatisfy(l -> {
            var line = Json.tree(l.getBytes(StandardCharsets.UTF_8));
            assertThat(line.path("model_version").asInt()).isEqualTo(1);
            assertThat(line.path("shadow").path("model_version").asInt()).isEqualTo(2);
            assertThat(line.path("shadow").path("predictions").get(0).path("label").asText()).isEqualTo("b");
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void plainCaptures_shouldBeWrittenWhileAShadowIsStuck_theShadowScoredAtTheLowestPriority() throws Exception {
        // GIVEN a challenger stuck in its scoring, and batches of 5 captures
        StuckChallenger challenger = new StuckChallenger();
        BackgroundCapture capture = new BackgroundCapture(new CaptureBatcher(store,
                new CaptureBatcher.Settings(5, 1 << 20, Duration.ofSeconds(10)), clock), new RecordingMetrics(), 10);
        capture.captureWithShadow(request("iris", 0), challenger);
        challenger.scoring.await();
        // WHEN 5 plain captures follow
        for (int i = 1; i <= 5; i++) {
            capture.capture(request("iris", i));
        }
        // THEN the writer batches and writes them while the shadow is still being scored (else the test times out)
        while (capture.written() < 5) {
            Thread.sleep(5);
        }
        assertThat(writtenIds("iris")).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5");
        // AND the shadow was scored at the lowest priority, and written with both answers once it finished
        assertThat(challenger.priorities).containsExactly(Thread.MIN_PRIORITY);
        challenger.release.countDown();
        capture.close();
        assertThat(capture.written()).isEqualTo(6);
        assertThat(writtenIds("iris")).contains("r0");
    }

    /** A challenger that stays in its scoring until released, noting the threads (and priorities) it was scored on. */
    private static final class StuckChallenger implements Function<CapturedRequest, CaptureSink.Shadow> {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch scoring = new CountDownLatch(1);
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final Set<Integer> priorities = ConcurrentHashMap.newKeySet();

        @Override
        public CaptureSink.Shadow apply(CapturedRequest request) {
            threads.add(Thread.currentThread().getName());
            priorities.add(Thread.currentThread().getPriority());
            scoring.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new CaptureSink.Shadow(2, List.of(new Prediction("b", Map.of("b", 1.0))), null);
        }
    }
}
