package dev.mlops.core.monitoring;

import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.memory.InMemoryDriftCheckLog;
import dev.mlops.core.ports.memory.InMemoryModelRegistry;
import dev.mlops.core.ports.memory.InMemoryObjectStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model's monitoring timeline, as the console's monitoring page draws it, read from the check log, the checks'
 * reports and the audit trail: checks oldest first with their scores per feature and live quality, and the
 * registry changes and retraining marked in time order.
 */
class MonitoringTimelineTest {

    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void twoChecks_aRetrainingAndAPromotion_shouldBeOnOneTimeline_oldestFirst() {
        // GIVEN a check that found nothing, then one that drifted on x and asked for a retraining
        InMemoryObjectStore store = new InMemoryObjectStore();
        InMemoryDriftCheckLog log = new InMemoryDriftCheckLog();
        InMemoryModelRegistry registry = new InMemoryModelRegistry(Clock.systemUTC());
        store.put("monitoring/m/c1/drift.json", report(0.02, 0.01, "NO_DRIFT", 0.95), "application/json");
        store.put("monitoring/m/c2/drift.json", report(0.9, 0.03, "DRIFTED", 0.7), "application/json");
        log.record(new DriftCheck("m", "c1", 1, T0, T0.plusSeconds(60), 150, false, List.of(),
                "monitoring/m/c1/drift.json", "NO_DRIFT", "OK", null, "monitoring/m/c1/drift.html"));
        log.record(new DriftCheck("m", "c2", 1, T0.plusSeconds(60), T0.plusSeconds(120), 150, true, List.of("x"),
                "monitoring/m/c2/drift.json", "DRIFTED", "DEGRADED", new DriftCheck.Retraining("REQUESTED", "m-run2",
                "v2", "incoming/m/retrain-c2.csv", 150, null), "monitoring/m/c2/drift.html"));
        // AND the registry's trail: v1 registered and promoted before, v2 registered, promoted and tagged after
        registry.audit(new AuditEntry("m", T0.minusSeconds(30), "register", "m-run1", null, 1, "first", null));
        registry.audit(new AuditEntry("m", T0.minusSeconds(29), "promote", "m-run1", null, 1, "first", null));
        registry.audit(new AuditEntry("m", T0.plusSeconds(200), "register", "m-run2", null, 2, "better", null));
        registry.audit(new AuditEntry("m", T0.plusSeconds(201), "promote", "m-run2", 1, 2, "better", null));
        registry.audit(new AuditEntry("m", T0.plusSeconds(300), "tag", "you", null, 2, "team=a", null));

        // WHEN
        MonitoringTimeline t = MonitoringTimeline.of("m", 10, log, store, registry);

        // THEN the checks, oldest first, with each feature's score against its threshold and the live quality
        assertThat(t.checks()).extracting(MonitoringTimeline.Check::checkId).containsExactly("c1", "c2");
        assertThat(t.features()).containsExactly("x", "y");
        MonitoringTimeline.Check drifted = t.checks().get(1);
        assertThat(drifted.scores().get("x").distance()).isEqualTo(0.9);
        assertThat(drifted.scores().get("x").threshold()).isEqualTo(0.1);
        assertThat(drifted.scores().get("x").verdict()).isEqualTo("DRIFTED");
        assertThat(drifted.scores()).containsKey(MonitoringTimeline.PREDICTION);
        assertThat(drifted.liveAccuracy()).isEqualTo(0.7);
        assertThat(drifted.testAccuracy()).isEqualTo(0.97);
        assertThat(drifted.labelled()).isEqualTo(150);
        assertThat(drifted.retraining()).isEqualTo("REQUESTED");
        assertThat(drifted.retrainingRunId()).isEqualTo("m-run2");
        // AND the events in time order: registrations, promotions and the retraining, but not the tag
        assertThat(t.events()).extracting(MonitoringTimeline.Event::kind)
                .containsExactly("register", "promote", "retraining", "register", "promote");
        assertThat(t.events().get(2).text()).contains("c2", "m-run2");
        assertThat(t.events().get(4).text()).isEqualTo("promote v2 (from v1) by m-run2");
    }

    @Test
    void aCheckWhoseReportIsGone_shouldStayOnTheTimeline_withoutScores() {
        InMemoryDriftCheckLog log = new InMemoryDriftCheckLog();
        log.record(new DriftCheck("m", "c1", 1, T0, T0.plusSeconds(60), 150, true, List.of("x"),
                "monitoring/m/c1/drift.json"));
        MonitoringTimeline t = MonitoringTimeline.of("m", 10, log, new InMemoryObjectStore(),
                new InMemoryModelRegistry(Clock.systemUTC()));
        assertThat(t.checks()).singleElement().satisfies(c -> {
            assertThat(c.verdict()).isEqualTo("DRIFTED");
            assertThat(c.scores()).isEmpty();
            assertThat(c.liveAccuracy()).isNull();
        });
        assertThat(t.features()).isEmpty();
    }

    /** A drift.json with the parts the timeline reads: per column and prediction scores, live quality. */
    private static byte[] report(double x, double y, String verdict, double accuracy) {
        return ("""
                {"drift": {"columns": {
                   "x": {"distance_name": "wasserstein_sd", "distance": %s, "threshold": 0.1, "verdict": "%s"},
                   "y": {"distance_name": "wasserstein_sd", "distance": %s, "threshold": 0.1, "verdict": "NO_DRIFT"}},
                 "prediction": {"distance_name": "jensen_shannon", "distance": 0.05, "threshold": 0.1,
                   "verdict": "NO_DRIFT"}},
                 "quality": {"metric": "accuracy", "accuracy": %s, "accuracy_low": %s, "accuracy_high": %s,
                   "test_accuracy": 0.97, "labelled": 150}}
                """.formatted(x, verdict, y, accuracy, accuracy - 0.07, accuracy + 0.06))
                .getBytes(StandardCharsets.UTF_8);
    }
}
