package dev.mlops.core.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole rollout driven by live traffic and its ground truth: promoted by the rule, aborted by the guardrail. */
class RolloutCheckTest {

    private final MonitoredPipeline m = new MonitoredPipeline();
    private final PipelineHarness p = m.p;
    private final DriftService drift = m.drift;
    private final CaptureBatcher capture = m.capture;
    private final ServingService serving = m.serving;
    private final String[] iris = Datasets.read("iris").strip().split("\n");
    private int sent;

    /** Iris with every row's label replaced by {@code relabel(row index, label)}. */
    private String irisWith(java.util.function.BiFunction<Integer, String, String> relabel) {
        StringBuilder csv = new StringBuilder(iris[0]).append('\n');
        for (int i = 1; i < iris.length; i++) {
            int comma = iris[i].lastIndexOf(',');
            csv.append(iris[i], 0, comma + 1).append(relabel.apply(i, iris[i].substring(comma + 1))).append('\n');
        }
        return csv.toString();
    }

    /** {@code n} requests of real rows, each from its own caller, then their true labels; returns the versions. */
    private List<Integer> traffic(int n) {
        List<Integer> versions = new ArrayList<>();
        StringBuilder labels = new StringBuilder("{\"feedback\": [");
        for (int i = 0; i < n; i++) {
            p.clock.advance(Duration.ofMillis(10));
            String[] c = iris[1 + (sent * 37) % 150].split(",");
            String id = "r" + sent;
            String body = "{\"instances\": [{\"sepal_length_cm\": " + c[0] + ", \"sepal_width_cm\": " + c[1]
                    + ", \"petal_length_cm\": " + c[2] + ", \"petal_width_cm\": " + c[3] + "}]}";
            ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "iris:predict", Map.of(),
                    body.getBytes(StandardCharsets.UTF_8), id, "caller-" + sent));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            versions.add(Json.tree(reply.body().getBytes(StandardCharsets.UTF_8)).path("model_version").asInt());
            labels.append(i == 0 ? "" : ",").append("{\"request_id\": \"").append(id).append("\", \"label\": \"")
                    .append(c[4]).append("\"}");
            sent++;
        }
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "iris:feedback",
                labels.append("]}").toString().getBytes(StandardCharsets.UTF_8), "fb-" + sent));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        capture.flush();
        p.clock.advance(DriftService.DEFAULT_SETTLE.plusSeconds(1));
        return versions;
    }

    private JsonNode rolloutOf(DriftCheck check) {
        return Json.tree(p.store.find(check.reportKey()).orElseThrow().bytes()).path("rollout");
    }

    @Test
    void aBetterChallenger_shouldBePromotedByTheRule_andAWorseOneAbortedByTheGuardrailAtTheNextCheck() {
        // GIVEN production v1 trained on iris with a third of its versicolor labelled virginica
        p.runToEnd(p.upload("iris", "damaged.csv", irisWith((i, l) -> l.equals("versicolor") && i % 3 == 0
                ? "virginica" : l), Map.of()).runId());
        // AND a canary rollout policy: 10 % then 50 %, decided on 50 compared rows and 30 labels
        p.store.putJson(Layout.config("iris"), Map.of("training", PipelineHarness.ONE_CANDIDATE.get("training"),
                "rollout", Map.of("strategy", "canary", "steps", List.of(0.1, 0.5), "step_minutes", 0,
                        "min_requests", 50, "min_labels", 30, "margin", 0.02,
                        "guardrail", Map.of("min_labels", 20, "max_drop", 0.05))));
        // WHEN clean iris is uploaded: v2, blessed against v1, goes live as a canary, production stays v1
        String run2 = p.upload("iris", "clean.csv", irisWith((i, l) -> l), Map.of()).runId();
        assertThat(p.runToEnd(run2).status()).isEqualTo(RunStatus.ROLLOUT_STARTED);
        assertThat(p.registry.alias("iris", "production")).contains(1);
        assertThat(p.registry.rollout("iris").orElseThrow().share()).isEqualTo(0.1);

        // WHEN 1,000 callers ask, their labels come back, and the scheduled check runs
        List<Integer> first = traffic(1000);
        JsonNode step = rolloutOf(drift.check("iris"));
        // THEN about 10 % met v2; the evidence holds and the canary steps up to 50 %
        assertThat(first.stream().filter(v -> v == 2).count()).isBetween(60L, 140L);
        assertThat(step.path("decision").asText()).as(step.toString()).isEqualTo("STEP_UP");
        assertThat(step.path("evidence").path("compared").asLong()).isGreaterThanOrEqualTo(50);
        assertThat(step.path("evidence").path("agreement").path("value").asDouble()).isBetween(0.0, 1.0);
        assertThat(step.path("evidence").path("gain").path("low").asDouble()).isGreaterThanOrEqualTo(-0.02);
        assertThat(p.registry.rollout("iris").orElseThrow().share()).isEqualTo(0.5);

        // WHEN more traffic comes and the next check runs
        traffic(400);
        DriftCheck promoting = drift.check("iris");
        JsonNode promote = rolloutOf(promoting);
        // THEN the rule promotes v2: production moved through the registry, the rollout ended PROMOTED
        assertThat(promote.path("decision").asText()).as(promote.toString()).isEqualTo("PROMOTE");
        assertThat(p.registry.alias("iris", "production")).contains(2);
        assertThat(p.registry.rollout("iris").orElseThrow().status()).isEqualTo(Rollout.Status.PROMOTED);
        // AND the drift page shows the decision and its evidence
        assertThat(p.store.find(promoting.reportHtmlKey()).orElseThrow().bytes()).asString(StandardCharsets.UTF_8)
                .contains("Rollout").contains("PROMOTE").contains("agreement").contains("gain (challenger - production)");

        // GIVEN v3 trained on iris whose labels are all shifted by one class: blessed on its own (shifted) test rows,
        // so it goes live as a canary at 10 %
        String run3 = p.upload("iris", "shifted.csv", irisWith((i, l) -> switch (l) {
            case "setosa" -> "versicolor";
            case "versicolor" -> "virginica";
            default -> "setosa";
        }), Map.of()).runId();
        assertThat(p.runToEnd(run3).status()).isEqualTo(RunStatus.ROLLOUT_STARTED);
        // WHEN its callers' true labels come back and the scheduled check runs
        List<Integer> bad = traffic(400);
        assertThat(bad).contains(3);
        JsonNode abort = rolloutOf(drift.check("iris"));
        // THEN the quality guardrail aborts it at this check, and every request is production's again
        assertThat(abort.path("decision").asText()).as(abort.toString()).isEqualTo("ABORT");
        assertThat(abort.path("reason").asText()).startsWith("guardrail:");
        assertThat(p.registry.rollout("iris").orElseThrow().status()).isEqualTo(Rollout.Status.ABORTED);
        p.clock.advance(Duration.ofSeconds(3));
        assertThat(traffic(100)).containsOnly(2);
        assertThat(p.registry.alias("iris", "production")).contains(2);

        // AND each step was audited and announced
        assertThat(p.registry.auditTrail("iris").stream().map(AuditEntry::action)
                .filter(a -> a.startsWith("rollout") || a.equals("promote")).toList())
                .containsExactly("promote", "rollout_start", "rollout_step", "promote", "rollout_start",
                        "rollout_abort");
        assertThat(p.events.detailTypes().stream().filter(t -> t.contains("Rollout") || t.equals("Model Promoted"))
                .toList()).containsExactly("Model Promoted", "Model Rollout Started", "Model Rollout Stepped",
                "Model Promoted", "Model Rollout Promoted", "Model Rollout Started", "Model Rollout Aborted");
    }
}
