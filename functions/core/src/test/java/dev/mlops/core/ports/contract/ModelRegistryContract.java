package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
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

    @Test
    void audit_shouldOnlyAppend_neverReplacingAnEntry_evenTheSameOneAtTheSameInstant() {
        // GIVEN an entry, recorded twice (a retried step), and the registry's other writes around it
        String model = Fixtures.unique("m");
        AuditEntry entry = new AuditEntry(model, Instant.parse("2026-11-27T10:00:00Z"), "register", "run-1", null, 1, "why");
        registry().audit(entry);
        registry().register(Fixtures.version(model, "run-1", null));
        registry().moveAlias(model, ModelRegistry.PRODUCTION, 1, null);
        // WHEN
        registry().audit(entry);
        // THEN both are there: an entry is never overwritten, and versions and aliases are not entries
        assertThat(registry().auditTrail(model)).containsExactly(entry, entry);
    }

    @Test
    void audit_shouldKeepOrderWithinOneSecond_andRoundTripForced() {
        // GIVEN entries whose times differ by less than a second (Instant.toString() drops trailing zeros)
        String model = Fixtures.unique("m");
        AuditEntry a = new AuditEntry(model, Instant.parse("2026-11-27T10:00:00Z"), "promote", "cli:ann", 1, 2, "a");
        AuditEntry b = new AuditEntry(model, Instant.parse("2026-11-27T10:00:00.5Z"), "rollback", "cli:bob", 2, 1, "b",
                true);
        AuditEntry c = new AuditEntry(model, Instant.parse("2026-11-27T10:00:00.123456789Z"), "tag", "cli:cy", null, 1,
                "c");
        // WHEN
        registry().audit(a);
        registry().audit(c);
        registry().audit(b);
        // THEN they come back in time order, forced kept
        assertThat(registry().auditTrail(model)).containsExactly(a, c, b);
        assertThat(registry().auditTrail(model).get(2).forced()).isTrue();
    }

    @Test
    void models_shouldListEveryModelWithAVersion_andVersionsTrainedOnShouldFindThemByDatasetVersion() {
        // GIVEN two models trained on the fixtures' dataset version, and one alias without versions
        String a = Fixtures.unique("m");
        String b = Fixtures.unique("m");
        registry().register(Fixtures.version(a, "run-a", null));
        registry().register(Fixtures.version(b, "run-b", null));
        registry().register(Fixtures.version(b, "run-b2", null));
        registry().moveAlias(Fixtures.unique("alias-only"), ModelRegistry.PRODUCTION, 1, null);
        // WHEN
        List<String> models = registry().models();
        List<ModelVersion> trainedOn = registry().versionsTrainedOn("ds", "ab".repeat(32));
        // THEN
        assertThat(models).contains(a, b).isSorted();
        assertThat(trainedOn).filteredOn(v -> v.model().equals(a) || v.model().equals(b))
                .extracting(v -> v.model() + "/" + v.version()).containsExactly(
                        (a.compareTo(b) < 0 ? List.of(a + "/1", b + "/1", b + "/2") : List.of(b + "/1", b + "/2", a + "/1"))
                                .toArray(new String[0]));
        assertThat(registry().versionsTrainedOn("ds", "ef".repeat(32))).noneMatch(v -> v.model().equals(a));
    }

    @Test
    void setApproval_shouldOnlyMoveFromTheExpectedStatus_andRoundTrip() {
        // GIVEN a version without approval
        String model = Fixtures.unique("m");
        registry().register(Fixtures.version(model, "run-1", null));
        Approval pending = new Approval(ApprovalStatus.PENDING_APPROVAL, "run-1", Instant.parse("2026-11-27T10:00:00Z"),
                "approval policy manual");
        Approval approved = new Approval(ApprovalStatus.APPROVED, "cli:ann", Instant.parse("2026-11-27T10:05:00Z"), "ok");
        // WHEN / THEN
        assertThat(registry().setApproval(model, 1, approved, ApprovalStatus.PENDING_APPROVAL)).isFalse();
        assertThat(registry().setApproval(model, 1, pending, null)).isTrue();
        assertThat(registry().setApproval(model, 1, pending, null)).isFalse();
        assertThat(registry().find(model, 1).orElseThrow().approval()).isEqualTo(pending);
        assertThat(registry().setApproval(model, 1, approved, ApprovalStatus.PENDING_APPROVAL)).isTrue();
        assertThat(registry().find(model, 1).orElseThrow().approval()).isEqualTo(approved);
        assertThat(registry().setApproval(model, 7, pending, null)).isFalse();
        assertThat(registry().find(model, 7)).isEmpty();
    }

    @Test
    void concurrentApprovalDecisions_shouldHaveExactlyOneWinner() throws Exception {
        // GIVEN a pending version and eight people deciding at once
        String model = Fixtures.unique("m");
        registry().register(Fixtures.version(model, "run-1", null));
        registry().setApproval(model, 1, new Approval(ApprovalStatus.PENDING_APPROVAL, "run-1", Instant.now(), "manual"),
                null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ApprovalStatus decision = i % 2 == 0 ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
                String who = "cli:p" + i;
                calls.add(() -> registry().setApproval(model, 1, new Approval(decision, who, Instant.now(), "why"),
                        ApprovalStatus.PENDING_APPROVAL));
            }
            // WHEN
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                winners += f.get() ? 1 : 0;
            }
            // THEN
            assertThat(winners).isEqualTo(1);
            assertThat(registry().find(model, 1).orElseThrow().approval().status()).isIn(ApprovalStatus.APPROVED,
                    ApprovalStatus.REJECTED);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tag_shouldSetOneKeyAndKeepTheOthers() {
        // GIVEN
        String model = Fixtures.unique("m");
        registry().register(Fixtures.version(model, "run-1", null));
        // WHEN
        boolean first = registry().tag(model, 1, "stage", "canary");
        boolean second = registry().tag(model, 1, "owner", "team-a");
        boolean again = registry().tag(model, 1, "stage", "ga");
        // THEN
        assertThat(first && second && again).isTrue();
        assertThat(registry().find(model, 1).orElseThrow().tags()).containsExactly(
                java.util.Map.entry("owner", "team-a"), java.util.Map.entry("stage", "ga"));
        assertThat(registry().tag(model, 2, "stage", "x")).isFalse();
        assertThat(registry().find(model, 2)).isEmpty();
    }

    @Test
    void putRollout_shouldRoundTripEveryField_andKeepAnEndedOne() {
        // GIVEN a model without rollouts
        String model = Fixtures.unique("m");
        Rollout started = Fixtures.rollout(model);
        Rollout first = new Rollout(model, started.challenger(), started.production(), started.status(),
                started.strategy(), started.step(), started.share(), started.policy(), started.startedAt(),
                started.stepStartedAt(), started.actor(), started.reason(), 1, null, null, null, null);
        // WHEN it starts, is checked, steps up and ends
        assertThat(registry().rollout(model)).isEmpty();
        assertThat(registry().putRollout(first)).isTrue();
        Rollout checked = first.checked(started.lastCheck());
        assertThat(registry().putRollout(checked)).isTrue();
        Rollout stepped = checked.stepped(Instant.parse("2026-11-27T12:00:00.5Z"));
        assertThat(registry().putRollout(stepped)).isTrue();
        Rollout ended = stepped.ended(Rollout.Status.ABORTED, Instant.parse("2026-11-27T13:00:00Z"), "cli:ann", "why");
        assertThat(registry().putRollout(ended)).isTrue();
        // THEN every field comes back, the ended one is kept
        assertThat(registry().rollout(model)).contains(ended);
        assertThat(registry().rollout(model).orElseThrow().lastCheck().evidence())
                .isEqualTo(started.lastCheck().evidence());
        assertThat(registry().rollout(model).orElseThrow().policy()).isEqualTo(started.policy());
    }

    @Test
    void putRollout_shouldOnlyWriteOverTheRevisionItRead() {
        // GIVEN a rollout at revision 1
        String model = Fixtures.unique("m");
        Rollout first = Fixtures.rollout(model);
        Rollout one = new Rollout(model, 2, 1, Rollout.Status.ACTIVE, first.strategy(), 0, first.share(), first.policy(),
                first.startedAt(), null, "run-2", "why", 1, null, null, null, null);
        // WHEN / THEN a second first write, a skipped revision and a stale one are refused
        assertThat(registry().putRollout(one)).isTrue();
        assertThat(registry().putRollout(one)).isFalse();
        Rollout two = one.stepped(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(registry().putRollout(two.stepped(Instant.parse("2026-11-27T12:00:00Z")))).isFalse();
        assertThat(registry().putRollout(two)).isTrue();
        assertThat(registry().putRollout(one.ended(Rollout.Status.ABORTED, Instant.now(), "cli:x", "stale"))).isFalse();
        assertThat(registry().rollout(model)).contains(two);
    }

    @Test
    void concurrentRolloutChangesFromTheSameRevision_shouldHaveExactlyOneWinner() throws Exception {
        // GIVEN an active rollout and eight deciders that all read it
        String model = Fixtures.unique("m");
        Rollout r = Fixtures.rollout(model);
        Rollout one = new Rollout(model, 2, 1, Rollout.Status.ACTIVE, r.strategy(), 0, r.share(), r.policy(),
                r.startedAt(), null, "run-2", "why", 1, null, null, null, null);
        registry().putRollout(one);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Rollout next = i % 2 == 0 ? one.ended(Rollout.Status.ABORTED, Instant.now(), "cli:p" + i, "abort")
                        : one.stepped(Instant.now());
                calls.add(() -> registry().putRollout(next));
            }
            // WHEN
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                winners += f.get() ? 1 : 0;
            }
            // THEN
            assertThat(winners).isEqualTo(1);
            assertThat(registry().rollout(model).orElseThrow().revision()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
