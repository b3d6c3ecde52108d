package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServingServiceTest {

    private static final String ROW = "{\"sepal_length_cm\": 5.1, \"sepal_width_cm\": 3.5, \"petal_length_cm\": 1.4,"
            + " \"petal_width_cm\": 0.2}";

    private final PipelineHarness p = new PipelineHarness();
    private final List<CaptureSink.CapturedRequest> captured = new ArrayList<>();
    private ServingService serving;

    @BeforeEach
    void trainIris() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        serving = new ServingService(p.store, p.registry, captured::add, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
    }

    private ServingService.Reply post(String target, String body) {
        return serving.handle(new ServingService.Request("POST", target, body.getBytes(StandardCharsets.UTF_8), "req-1"));
    }

    private static JsonNode body(ServingService.Reply reply) {
        return Json.tree(reply.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void predict_shouldAnswerTheProductionVersionAndCaptureTheRequest() {
        // WHEN
        ServingService.Reply reply = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN
        assertThat(reply.status()).isEqualTo(200);
        assertThat(body(reply).path("predictions").get(0).path("label").asText()).isEqualTo("setosa");
        assertThat(body(reply).path("model_version").asInt()).isEqualTo(1);
        assertThat(captured).hasSize(1);
        assertThat(captured.get(0).requestId()).isEqualTo("req-1");
    }

    @Test
    void aModelThatCannotBeLoaded_shouldAnswer503WithTheReason_notA404() {
        // GIVEN the production artifact is gone
        p.store.delete(p.registry.find("iris", 1).orElseThrow().artifact().modelKey());
        // WHEN
        ServingService.Reply reply = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsKey("retry-after");
        assertThat(body(reply).path("error").asText()).contains("cannot be loaded").contains("is missing");
        assertThat(body(reply).path("request_id").asText()).isEqualTo("req-1");
    }

    @Test
    void unknownModelAndNoProduction_shouldBeTold_apart() {
        // GIVEN a model with a version but no production alias
        p.runToEnd(p.upload("wine", Datasets.read("wine")).runId());
        p.registry.moveAlias("wine", ModelRegistry.PRODUCTION, 99, 1);
        p.registry.moveAlias("other", ModelRegistry.PRODUCTION, 1, null);
        // WHEN / THEN
        assertThat(post("nothing:predict", "{\"instances\": [{}]}").status()).isEqualTo(404);
        assertThat(post("wine:predict", "{\"instances\": [{\"alcohol\": 13}]}").status()).isEqualTo(503);
    }

    @Test
    void malformedBodies_shouldBe400sWithAReason() {
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "]} garbage").status()).isEqualTo(400);
        assertThat(post("iris:predict", "{\"instances\": []}{\"instances\": []}").status()).isEqualTo(400);
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "], \"instances\": []}").status()).isEqualTo(400);
        assertThat(post("iris:predict", "{\"instances\": [{\"sepal_length_cm\": \"five\"}]}").body())
                .contains("instances[0].sepal_length_cm: expected a number");
        assertThat(post("iris:predict", "").status()).isEqualTo(400);
        assertThat(post("Iris:predict", "{}").status()).isEqualTo(400);
    }

    @Test
    void aCaptureFailure_shouldNotFailThePrediction_andIsCounted() {
        // GIVEN a capture sink that fails
        serving = new ServingService(p.store, p.registry, r -> {
            throw new IllegalStateException("S3 down");
        }, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
        // WHEN
        ServingService.Reply reply = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN
        assertThat(reply.status()).isEqualTo(200);
        assertThat(p.metrics.total("CaptureFailures")).isEqualTo(1);
    }

    @Test
    void describe_shouldListVersionsAndProduction() {
        // WHEN
        ServingService.Reply reply = serving.handle(new ServingService.Request("GET", "iris", new byte[0], "req-2"));
        // THEN
        assertThat(reply.status()).isEqualTo(200);
        assertThat(body(reply).path("production_version").asInt()).isEqualTo(1);
        assertThat(body(reply).path("model_version_status").get(0).path("blessed").asBoolean()).isTrue();
        assertThat(body(reply).path("model_version_status").get(0).path("state").asText()).isEqualTo("AVAILABLE");
    }

    @Test
    void versionRoutes_shouldAnswerEveryMistakeWithAStatus() {
        // WHEN / THEN
        assertThat(serving.handle(new ServingService.Request("GET", "iris/versions/9", new byte[0], "r")).status())
                .isEqualTo(404);
        assertThat(serving.handle(new ServingService.Request("GET", "iris/versions/0", new byte[0], "r")).status())
                .isEqualTo(400);
        assertThat(serving.handle(new ServingService.Request("GET", "iris/versions/x/metadata", new byte[0], "r"))
                .status()).isEqualTo(400);
        assertThat(serving.handle(new ServingService.Request("GET", "iris/other", new byte[0], "r")).status())
                .isEqualTo(404);
        assertThat(serving.handle(new ServingService.Request("GET", "IRIS/versions/1", new byte[0], "r")).status())
                .isEqualTo(400);
        assertThat(serving.handle(new ServingService.Request("GET", "nope/versions/1", new byte[0], "r")).body())
                .contains("model nope does not exist");
        ServingService.Reply metadata = serving.handle(new ServingService.Request("GET", "iris/versions/1/metadata",
                new byte[0], "r"));
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(body(metadata).path("metadata").path("signature").path("label").asText()).isEqualTo("label");
    }
}
