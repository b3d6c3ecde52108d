package dev.mlops.core.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's monitoring over time, oldest first: each drift check with its drift score per feature (the distance the
 * check compared with its threshold) and its live quality, and what happened to the model in between (versions
 * registered, production moved, retraining started by a check). What the web console's monitoring page draws; read
 * only from the drift check log, the checks' own {@code drift.json} and the registry's audit trail.
 *
 * @param model    the model
 * @param features every feature any check scored, in the order first seen
 * @param checks   the checks, oldest first
 * @param events   registry changes and retraining, oldest first
 */
public record MonitoringTimeline(String model, List<String> features, List<Check> checks, List<Event> events) {

    /** How a check scored one feature (or the predictions). */
    public record Score(String distanceName, Double distance, Double threshold, String verdict) {
    }

    /**
     * One drift check.
     *
     * @param checkId          the check
     * @param at               the end of its window (what it covered up to)
     * @param modelVersion     the production version it checked
     * @param verdict          DRIFTED, NO_DRIFT or NOT_ENOUGH_DATA
     * @param quality          OK, DEGRADED, NOT_ENOUGH_DATA or NO_FEEDBACK (null: not recorded)
     * @param samples          captured rows compared
     * @param driftedFeatures  the features that drifted
     * @param scores           per feature (and {@code prediction}), from its report; empty when the report is gone
     * @param liveMetric       the metric live quality is judged on
     * @param liveAccuracy     live accuracy on the labelled rows (null: no feedback)
     * @param liveAccuracyLow  its 95 % interval's lower end
     * @param liveAccuracyHigh its upper end
     * @param testAccuracy     the checked version's test accuracy
     * @param labelled         labelled rows joined
     * @param retraining       what the check did about retraining (null: nothing asked)
     * @param retrainingRunId  the run it started or asked for
     * @param reportHtmlKey    its report page
     */
    public record Check(String checkId, Instant at, int modelVersion, String verdict, String quality, long samples,
                        List<String> driftedFeatures, Map<String, Score> scores, String liveMetric, Double liveAccuracy,
                        Double liveAccuracyLow, Double liveAccuracyHigh, Double testAccuracy, long labelled,
                        String retraining, String retrainingRunId, String reportHtmlKey) {
    }

    /**
     * Something that happened to the model, marked on the timeline.
     *
     * @param at      when
     * @param kind    {@code retraining} (a check started one), or the audit action ({@code register}, {@code
     *                promote}, {@code approve}, {@code rollback}, {@code reject}, {@code run_failed}, ...)
     * @param version the version concerned (null: none yet)
     * @param text    in a few words
     */
    public record Event(Instant at, String kind, Integer version, String text) {
    }

    /** The audit actions marked on the timeline: those that change what serves or what could. */
    private static final Set<String> MARKED = Set.of(AuditAction.REGISTER.id(), AuditAction.PROMOTE.id(),
            AuditAction.APPROVE.id(), AuditAction.ROLLBACK.id(), AuditAction.REJECT.id(),
            AuditAction.RUN_FAILED.id());

    /**
     * The timeline of a model's latest {@code limit} checks.
     *
     * @param model    the model
     * @param limit    at most this many checks (the newest)
     * @param checks   the drift check log
     * @param store    where the checks' reports are
     * @param registry the audit trail
     */
    public static MonitoringTimeline of(String model, int limit, DriftCheckLog checks, ObjectStore store,
                                        ModelRegistry registry) {
        List<DriftCheck> newestFirst = checks.history(model, limit);
        List<Check> out = new ArrayList<>();
        Set<String> features = new LinkedHashSet<>();
        List<Event> events = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            DriftCheck c = newestFirst.get(i);
            Optional<JsonNode> report = report(store, c.reportKey());
            Map<String, Score> scores = report.map(MonitoringTimeline::scores).orElse(Map.of());
            scores.keySet().stream().filter(f -> !f.equals(PREDICTION)).forEach(features::add);
            JsonNode q = report.map(r -> r.path("quality")).orElse(Json.MAPPER.missingNode());
            DriftCheck.Retraining r = c.retraining();
            out.add(new Check(c.checkId(), c.windowEnd(), c.modelVersion(), verdict(c), c.quality(), c.samples(),
                    c.driftedFeatures(), scores, text(q, "metric"), number(q, "accuracy"), number(q, "accuracy_low"),
                    number(q, "accuracy_high"), number(q, "test_accuracy"), q.path("labelled").asLong(0),
                    r == null ? null : r.status(), r == null ? null : r.runId(), c.reportHtmlKey()));
            if (r != null && r.runId() != null) {
                events.add(new Event(c.windowEnd(), "retraining", null, "check " + c.checkId() + " "
                        + r.status().toLowerCase(java.util.Locale.ROOT) + " run " + r.runId()));
            }
        }
        for (AuditEntry e : registry.auditTrail(model)) {
            if (MARKED.contains(e.action())) {
                events.add(new Event(e.at(), e.action(), e.toVersion(), e.action() + (e.toVersion() == null ? ""
                        : " v" + e.toVersion()) + (e.fromVersion() == null ? "" : " (from v" + e.fromVersion() + ")")
                        + " by " + e.actor()));
            }
        }
        events.sort(Comparator.comparing(Event::at));
        return new MonitoringTimeline(model, List.copyOf(features),
                List.copyOf(out), List.copyOf(events));
    }

    /** Name under which the predictions' score is kept in {@link Check#scores()}. */
    public static final String PREDICTION = "prediction";

    private static String verdict(DriftCheck c) {
        return c.verdict() != null ? c.verdict() : c.driftDetected() ? "DRIFTED" : "NO_DRIFT";
    }

    /** A report read as a tree: older and newer reports alike (a field one of them lacks is left out). */
    private static Optional<JsonNode> report(ObjectStore store, String key) {
        if (key == null) {
            return Optional.empty();
        }
        return store.find(key).map(o -> Json.tree(o.bytes()));
    }

    private static Map<String, Score> scores(JsonNode report) {
        Map<String, Score> out = new LinkedHashMap<>();
        JsonNode drift = report.path("drift");
        drift.path("columns").properties().forEach(e -> out.put(e.getKey(), score(e.getValue())));
        if (drift.hasNonNull("prediction")) {
            out.put(PREDICTION, score(drift.path("prediction")));
        }
        return out;
    }

    private static Score score(JsonNode c) {
        return new Score(text(c, "distance_name"), number(c, "distance"), number(c, "threshold"), text(c, "verdict"));
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asDouble() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
