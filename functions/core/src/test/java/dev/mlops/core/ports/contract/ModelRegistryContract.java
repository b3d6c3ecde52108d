package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.ports.ModelRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ModelRegistry} promises, concurrency included. */
public abstract class ModelRegistryContract {

    protected abstract ModelRegistry registry();

    @Test
    void register_shouldNumberVersionsAndRoundTripEveryField() {
        // GIVEN
        String model = Fixtures.unique("m");
        ModelVersion draft = Fixtures.version(model, "run-1", 2);
        // WHEN
        ModelVersion v1 = registry().register(draft);
        ModelVersion v2 = registry().register(Fixtures.version(model, "run-2", null));
        // THEN
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(registry().find(model, 1)).contains(v1);
        assertThat(registry().find(model, 1).orElseThrow().training()).isEqualTo(draft.training());
        assertThat(registry().find(model, 1).orElseThrow().blessing()).isEqualTo(draft.blessing());
        assertThat(registry().find(model, 3)).isEmpty();
        assertThat(registry().versions(model)).extracting(ModelVersion::version).containsExactly(1, 2);
        assertThat(registry().versionOfRun(model, "run-2")).contains(v2);
    }

    @Test
    void concurrentRegistrations_shouldGetDistinctGapFreeNumbers() throws Exception {
        // GIVEN 12 registrations of one model at once
        String model = Fixtures.unique("m");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<ModelVersion>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String run = "run-" + i;
                calls.add(() -> registry().register(Fixtures.version(model, run, null)));
            }
            // WHEN
            List<Integer> numbers = new ArrayList<>();
            for (Future<ModelVersion> f : pool.invokeAll(calls)) {
                numbers.add(f.get().version());
            }
            // THEN
            assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void moveAlias_shouldOnlyMoveFromTheExpectedVersion() {
        // GIVEN
        String model = Fixtures.unique("m");
        // WHEN / THEN
        assertThat(registry().alias(model, ModelRegistry.PRODUCTION)).isEmpty();
        assertThat(registry().moveAlias(model, ModelRegistry.PRODUCTION, 1, null)).isTrue();
        assertThat(registry().moveAlias(model, ModelRegistry.PRODUCTION, 2, null)).isFalse();
        assertThat(registry().moveAlias(model, ModelRegistry.PRODUCTION, 2, 7)).isFalse();
        assertThat(registry().moveAlias(model, ModelRegistry.PRODUCTION, 2, 1)).isTrue();
        assertThat(registry().alias(model, ModelRegistry.PRODUCTION)).contains(2);
        assertThat(registry().modelsWithAlias(ModelRegistry.PRODUCTION)).containsEntry(model, 2);
    }

    @Test
    void concurrentMovesFromTheSameState_shouldHaveExactlyOneWinner() throws Exception {
        // GIVEN production at v1 and ten movers that all saw v1
        String model = Fixtures.unique("m");
        registry().moveAlias(model, ModelRegistry.PRODUCTION, 1, null);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int to = 2 + i;
                calls.add(() -> registry().moveAlias(model, ModelRegistry.PRODUCTION, to, 1));
            }
            // WHEN
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                winners += f.get() ? 1 : 0;
            }
            // THEN
            assertThat(winners).isEqualTo(1);
            assertThat(registry().alias(model, ModelRegistry.PRODUCTION).orElseThrow()).isBetween(2, 11);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void audit_shouldKeepTheTrailInOrder() {
        // GIVEN
        String model = Fixtures.unique("m");
        AuditEntry first = new AuditEntry(model, Instant.parse("2026-11-27T10:00:00Z"), "register", "run-1", null, 1, "why");
        AuditEntry second = new AuditEntry(model, Instant.parse("2026-11-27T10:00:01Z"), "promote", "run-1", null, 1, "ok");
        // WHEN
        registry().audit(first);
        registry().audit(second);
        // THEN
        assertThat(registry().auditTrail(model)).containsExactly(first, second);
    }
}
