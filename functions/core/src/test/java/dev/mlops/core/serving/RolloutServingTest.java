package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.registry.RegistryCommand;
import dev.mlops.core.registry.Change;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A rollout as callers see it: canary shares by a stable key, shadow answers off the request path. */
class RolloutServingTest {

    private final PipelineHarness p = new PipelineHarness();
    private final List<CaptureSink.CapturedRequest> captured = Collections.synchronizedList(new ArrayList<>());
    private final String[] iris = Datasets.read("iris").strip().split("\n");
    private ServingService serving;

    @BeforeEach
    void twoVersions() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        // v2: the same flowers but the last ten, registered beside production and kept out of it (a blessing that
        // demands a win by 0.5 cannot be met), so the rollout is started by hand
        p.store.putJson(dev.mlops.core.Layout.config("iris"), Map.of("training", PipelineHarness.ONE_CANDIDATE
                .get("training"), "blessing", Map.of("margin", -0.5)));
        p.runToEnd(p.upload("iris", "iris-v2.csv", String.join("\n", List.of(iris).subList(0, iris.length - 10))
                + "\n", Map.of()).runId());
        serving = new ServingService(p.store, p.registry, captured::add, p.metrics, 0.0, () -> 0.5, 1 << 20, p.clock);
    }

    private void start(String strategy, double share) {
        Change started = p.commands.run(new RegistryCommand.StartRollout("iris", 2, strategy,
                share, 1, "cli:test", "try v2 on live traffic", true));
        assertThat(started.outcome()).as(started.reason()).isEqualTo(Change.Outcome.CHANGED);
    }

    private JsonNode predict(int row, String key, String requestId, String query) {
        String[] c = iris[1 + row % 150].split(",");
        String body = "{\"instances\": [{\"sepal_length_cm\": " + c[0] + ", \"sepal_width_cm\": " + c[1]
                + ", \"petal_length_cm\": " + c[2] + ", \"petal_width_cm\": " + c[3] + "}]}";
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "iris:predict",
                query == null ? Map.of() : Map.of("version", query), body.getBytes(StandardCharsets.UTF_8), requestId,
                key));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Json.tree(reply.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void canaryAtTenPercent_shouldGiveTheChallengerItsShare_oneVersionPerKey_andLeaveProductionsAnswersAlone() {
        // GIVEN a canary of v2 at 10 %
        start("canary", 0.1);
        // WHEN 2,000 callers ask once each
        Map<String, Integer> versionOf = new HashMap<>();
        int challenger = 0;
        for (int i = 0; i < 2000; i++) {
            JsonNode answer = predict(i, "caller-" + i, "req-" + i, null);
            int version = answer.path("model_version").asInt();
            versionOf.put("caller-" + i, version);
            challenger += version == 2 ? 1 : 0;
            if (version == 1) {
                // production's answer is the one it gives outside the rollout
                assertThat(answer.path("predictions")).isEqualTo(predict(i, null, "pinned-" + i, "1").path("predictions"));
            }
        }
        // THEN the challenger's share is within the binomial 99 % interval of 10 %
        BinomialDistribution b = BinomialDistribution.of(2000, 0.1);
        assertThat(challenger).isBetween(b.inverseCumulativeProbability(0.005), b.inverseCumulativeProbability(0.995));
        // AND each caller keeps its version, whatever the request id
        for (int i = 0; i < 300; i++) {
            assertThat(predict(i + 7, "caller-" + i, "again-" + i, null).path("model_version").asInt())
                    .isEqualTo(versionOf.get("caller-" + i));
        }
        // AND the challenger's answers were captured with production's beside them (capture sampling is off)
        List<CaptureSink.CapturedRequest> canary = captured.stream().filter(r -> r.modelVersion() == 2).toList();
        assertThat(canary).hasSizeGreaterThanOrEqualTo(challenger);
        assertThat(canary).allSatisfy(r -> {
            assertThat(r.shadow().modelVersion()).isEqualTo(1);
            assertThat(r.shadow().predictions()).hasSize(1);
        });
    }

    @Test
    void shadow_shouldLeaveCallersWithProduction_whileCapturesHoldBothAnswers() {
        // GIVEN a shadow of v2 on every request (scored by the capture sink: this one on the calling thread, the
        // function's BackgroundCapture on its writer thread, CaptureBatcherTest)
        start("shadow", 1.0);
        // WHEN 200 callers ask
        for (int i = 0; i < 200; i++) {
            // THEN each is answered by production
            assertThat(predict(i, "caller-" + i, "req-" + i, null).path("model_version").asInt()).isEqualTo(1);
        }
        // AND every request was captured with production's answer and the challenger's, each with its version
        assertThat(captured).hasSize(200).allSatisfy(r -> {
            assertThat(r.modelVersion()).isEqualTo(1);
            assertThat(r.predictions()).hasSize(1);
            assertThat(r.shadow().modelVersion()).isEqualTo(2);
            assertThat(r.shadow().predictions()).hasSize(1);
            assertThat(r.shadow().error()).isNull();
        });
    }

    @Test
    void aChallengerThatCannotLoad_shouldNeverFailARequest_andBeCapturedAsAnError() {
        // GIVEN a canary of v2 at 100 % whose artifact is gone
        start("canary", 1.0);
        p.store.delete(p.registry.find("iris", 2).orElseThrow().artifact().modelKey());
        // WHEN / THEN production answers, and the capture says why the challenger did not
        assertThat(predict(0, "caller", "req-0", null).path("model_version").asInt()).isEqualTo(1);
        assertThat(captured).singleElement().satisfies(r -> {
            assertThat(r.shadow().modelVersion()).isEqualTo(2);
            assertThat(r.shadow().error()).contains("cannot be loaded");
        });
    }

    @Test
    void anAbortedRollout_shouldSendEveryRequestBackToProduction_onTheRegistrysEvent() {
        // GIVEN a canary at 100 % serving v2
        start("canary", 1.0);
        assertThat(predict(0, "caller", "req-0", null).path("model_version").asInt()).isEqualTo(2);
        // WHEN it is aborted and the instance hears of it
        p.commands.run(new RegistryCommand.AbortRollout("iris", 2, "cli:test", "enough"));
        serving.productionChanged(new ProductionChanged("iris"));
        // THEN production answers again
        assertThat(predict(0, "caller", "req-1", null).path("model_version").asInt()).isEqualTo(1);
    }
}
