package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.model.explain.Explainer;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.memory.Outage;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    void explain_shouldAnswerThePredictionAndEachFeaturesContribution_withoutCapturingIt() {
        // WHEN
        ServingService.Reply explained = post("iris:explain", "{\"instances\": [" + ROW + "]}");
        ServingService.Reply predicted = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN the same prediction, and the contributions of the predicted class's margin
        assertThat(explained.status()).isEqualTo(200);
        assertThat(body(explained).path("predictions")).isEqualTo(body(predicted).path("predictions"));
        JsonNode explanation = body(explained).path("explanations").get(0);
        assertThat(explanation.path("method").asText()).isEqualTo(Explainer.LINEAR);
        assertThat(explanation.path("target").asText()).isEqualTo("setosa");
        assertThat(explanation.path("contributions").size()).isEqualTo(4);
        double sum = explanation.path("base_value").asDouble();
        for (JsonNode c : explanation.path("contributions")) {
            sum += c.asDouble();
        }
        assertThat(sum).isCloseTo(explanation.path("value").asDouble(), within(1e-9));
        assertThat(body(explained).path("model_version").asInt()).isEqualTo(1);
        assertThat(captured).hasSize(1); // the :predict only
    }

    @Test
    void explain_shouldFollowPredictsRequestRules() {
        String[] bodies = {"{\"instances\": [" + ROW + "]} garbage", "{\"instances\": []}{\"instances\": []}",
                "{\"instances\": [" + ROW + "], \"instances\": []}", "{\"instances\": [{\"sepal_length_cm\": \"five\"}]}",
                "", "{\"instances\": []}", "{\"inputs\": {\"sepal_length_cm\": [1, \"x\"]}}", "{\"rows\": []}",
                "{\"instances\": [{\"petal_width_cm\": 1e400}]}"};
        for (String b : bodies) {
            ServingService.Reply predict = post("iris:predict", b);
            ServingService.Reply explain = post("iris:explain", b);
            assertThat(explain.status()).as(b).isEqualTo(predict.status()).isEqualTo(400);
            assertThat(body(explain).path("error")).as(b).isEqualTo(body(predict).path("error"));
        }
        assertThat(post("nothing:explain", "{\"instances\": [{}]}").status()).isEqualTo(404);
        assertThat(serving.handle(new ServingService.Request("POST", "iris:explain", Map.of("version", "x"),
                ("{\"instances\": [" + ROW + "]}").getBytes(StandardCharsets.UTF_8), "r")).status()).isEqualTo(400);
        String many = String.join(",", java.util.Collections.nCopies(Explainer.MAX_INSTANCES + 1, ROW));
        assertThat(body(post("iris:explain", "{\"instances\": [" + many + "]}")).path("error").asText())
                .isEqualTo("instances: at most " + Explainer.MAX_INSTANCES + " instances per request, got "
                        + (Explainer.MAX_INSTANCES + 1));
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
    void aTamperedArtifact_shouldAnswer503InPlainWords_keepingKeysAndChecksumsForTheLog() {
        // GIVEN the production artifact's bytes were replaced
        var artifact = p.registry.find("iris", 1).orElseThrow().artifact();
        p.store.put(artifact.modelKey(), "not the model".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        // WHEN
        ServingService.Reply reply = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        ServingService.Reply metadata = serving.handle(new ServingService.Request("GET", "iris/versions/1/metadata",
                new byte[0], "req-2"));
        // THEN the client learns what is wrong, not where it is stored or how it is checked
        assertThat(reply.status()).isEqualTo(503);
        assertThat(body(reply).path("error").asText())
                .isEqualTo("model iris v1 cannot be loaded: its model file does not match the registry's checksum");
        assertThat(metadata.status()).isEqualTo(503);
        for (ServingService.Reply r : List.of(reply, metadata)) {
            assertThat(r.body()).doesNotContain(artifact.modelKey()).doesNotContain(artifact.sha256())
                    .doesNotContain("sha256").doesNotContain("tribuo").doesNotContain("java.");
        }
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

    @Test
    void hugeButFiniteNumbers_shouldBe400sNamingTheField_notA500() {
        // the scores of 1e308 overflow: a client's number, so a 400 that names it
        for (String value : List.of("1e308", "-1e308", "6.9e307", "\"1e308\"")) {
            // WHEN
            ServingService.Reply reply = post("iris:predict", "{\"instances\": [{\"petal_width_cm\": " + value + "}]}");
            // THEN
            assertThat(reply.status()).as(value).isEqualTo(400);
            assertThat(body(reply).path("error").asText()).as(value).startsWith("instances[0].petal_width_cm: ")
                    .contains("too large");
            assertThat(body(reply).path("request_id").asText()).isEqualTo("req-1");
        }
    }

    @Test
    void nonFiniteNumbers_shouldBe400sNamingTheField() {
        // 1e999 parses to infinity; NaN is not JSON at all
        assertThat(body(post("iris:predict", "{\"instances\": [{\"petal_width_cm\": 1e999}]}")).path("error").asText())
                .startsWith("instances[0].petal_width_cm: expected a finite number");
        assertThat(post("iris:predict", "{\"instances\": [{\"petal_width_cm\": NaN}]}").status()).isEqualTo(400);
        assertThat(body(post("iris:predict", "{\"instances\": [{\"petal_width_cm\": \"Infinity\"}]}")).path("error").asText())
                .startsWith("instances[0].petal_width_cm: ");
    }

    @Test
    void theColumnarInputsForm_shouldBeAnsweredColumnar() {
        // WHEN
        ServingService.Reply reply = post("iris:predict", "{\"signature_name\": \"serving_default\", \"inputs\": {"
                + "\"sepal_length_cm\": [5.1, 6.7], \"sepal_width_cm\": [3.5, 3.0], \"petal_length_cm\": [1.4, 5.2],"
                + " \"petal_width_cm\": [0.2, 2.3]}}");
        // THEN
        assertThat(reply.status()).isEqualTo(200);
        JsonNode outputs = body(reply).path("outputs");
        assertThat(outputs.path("label").get(0).asText()).isEqualTo("setosa");
        assertThat(outputs.path("label").get(1).asText()).isEqualTo("virginica");
        assertThat(outputs.path("scores").path("setosa")).hasSize(2);
        assertThat(body(reply).has("predictions")).isFalse();
    }

    @Test
    void inputsAsRows_shouldBeTheSameAsInstances() {
        ServingService.Reply inputs = post("iris:predict", "{\"inputs\": [" + ROW + "]}");
        ServingService.Reply instances = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        assertThat(inputs.status()).isEqualTo(200);
        assertThat(body(inputs).path("predictions")).isEqualTo(body(instances).path("predictions"));
    }

    @Test
    void badShapes_shouldBe400sNamingTheProblem() {
        assertThat(body(post("iris:predict", "{\"inputs\": {\"sepal_length_cm\": [5.1, 6.7], \"petal_width_cm\": [0.2]}}"))
                .path("error").asText()).contains("inputs.petal_width_cm has 1 values but inputs.sepal_length_cm has 2");
        assertThat(body(post("iris:predict", "{\"inputs\": {\"sepal_length_cm\": [\"five\"]}}")).path("error").asText())
                .startsWith("inputs.sepal_length_cm[0]: expected a number");
        assertThat(body(post("iris:predict", "{\"instances\": [" + ROW + "], \"inputs\": {}}")).path("error").asText())
                .contains("not both");
        assertThat(body(post("iris:predict", "{\"instance\": [" + ROW + "]}")).path("error").asText())
                .contains("unknown field \"instance\"");
        assertThat(post("iris:predict", "{\"signature_name\": \"other\", \"instances\": [" + ROW + "]}").status())
                .isEqualTo(400);
    }

    @Test
    void aPinnedVersion_shouldServeThatVersion_andAnUnknownOneIs404() {
        // GIVEN v2 in production
        p.runToEnd(p.upload("iris", "iris-2.csv", Datasets.read("iris") + "5.0,3.4,1.5,0.2,setosa\n", Map.of()).runId());
        assertThat(p.registry.alias("iris", ModelRegistry.PRODUCTION)).contains(2);
        // WHEN / THEN
        assertThat(body(post("iris:predict", "{\"instances\": [" + ROW + "]}")).path("model_version").asInt()).isEqualTo(2);
        assertThat(body(serving.handle(new ServingService.Request("POST", "iris:predict", Map.of("version", "1"),
                ("{\"instances\": [" + ROW + "]}").getBytes(StandardCharsets.UTF_8), "r"))).path("model_version").asInt())
                .isEqualTo(1);
        ServingService.Reply unknown = serving.handle(new ServingService.Request("POST", "iris:predict",
                Map.of("version", "9"), ("{\"instances\": [" + ROW + "]}").getBytes(StandardCharsets.UTF_8), "r"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(body(unknown).path("error").asText()).isEqualTo("model iris has no version 9");
        assertThat(serving.handle(new ServingService.Request("POST", "iris:predict", Map.of("version", "x"),
                ("{\"instances\": [" + ROW + "]}").getBytes(StandardCharsets.UTF_8), "r")).status()).isEqualTo(400);
        assertThat(serving.handle(new ServingService.Request("POST", "iris:predict", Map.of("versoin", "1"),
                ("{\"instances\": [" + ROW + "]}").getBytes(StandardCharsets.UTF_8), "r")).status()).isEqualTo(400);
    }

    @Test
    void metadata_shouldDescribeTheProductionVersionsSignature() {
        // WHEN
        ServingService.Reply reply = serving.handle(new ServingService.Request("GET", "iris/metadata", new byte[0], "m"));
        // THEN the same shape as GET /v1/models/iris/versions/1/metadata
        assertThat(reply.status()).isEqualTo(200);
        JsonNode b = body(reply);
        assertThat(b.path("model_spec").path("version").asText()).isEqualTo("1");
        JsonNode signature = b.path("metadata").path("signature");
        assertThat(signature.path("features").get(3).path("name").asText()).isEqualTo("petal_width_cm");
        assertThat(signature.path("features").get(3).path("type").asText()).isEqualTo("NUMERIC");
        assertThat(signature.path("classes").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(b.path("request_id").asText()).isEqualTo("m");
        assertThat(b.path("metadata")).isEqualTo(body(serving.handle(new ServingService.Request("GET",
                "iris/versions/1/metadata", new byte[0], "v"))).path("metadata"));
        assertThat(serving.handle(new ServingService.Request("GET", "nothing/metadata", new byte[0], "m")).status())
                .isEqualTo(404);
    }

    @Test
    void metadata_shouldListTheCategoriesOfACategoricalFeature() {
        // GIVEN a model with a categorical feature
        StringBuilder csv = new StringBuilder("colour,size,label\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i % 2 == 0 ? "red," : "blue,").append(i).append(i % 2 == 0 ? ",a\n" : ",b\n");
        }
        p.runToEnd(p.upload("shapes", csv.toString()).runId());
        // WHEN
        JsonNode colour = body(serving.handle(new ServingService.Request("GET", "shapes/metadata", new byte[0], "m")))
                .path("metadata").path("signature").path("features").get(0);
        // THEN
        assertThat(colour.path("type").asText()).isEqualTo("CATEGORICAL");
        assertThat(colour.path("allowed_categories").toString()).isEqualTo("[\"blue\",\"red\"]");
    }

    @Test
    void registryDown_withALoadedModel_shouldKeepServing_andCountTheStaleAnswers() {
        // GIVEN a service whose registry can fail, with iris loaded
        Outage<ModelRegistry> registry = Outage.of(ModelRegistry.class, p.registry);
        serving = new ServingService(p.store, registry.port(), captured::add, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "]}").status()).isEqualTo(200);
        // WHEN the registry goes down and the alias expires
        registry.down();
        p.clock.advance(Duration.ofSeconds(3));
        ServingService.Reply first = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        ServingService.Reply second = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN the loaded version answers, and the stale answers are counted
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(body(second).path("model_version").asInt()).isEqualTo(1);
        p.clock.advance(Duration.ofSeconds(3));
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "]}").status()).isEqualTo(200);
        assertThat(p.metrics.total("StaleModelServed")).isEqualTo(3);
        assertThat(p.metrics.total("AliasRefreshFailures")).isEqualTo(2);
        // and WHEN it is back, the answers are fresh again
        registry.up();
        p.clock.advance(Duration.ofSeconds(3));
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "]}").status()).isEqualTo(200);
        p.clock.advance(Duration.ofSeconds(1));
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "]}").status()).isEqualTo(200);
        assertThat(p.metrics.total("StaleModelServed")).isEqualTo(3);
    }

    @Test
    void registryDown_withNoLoadedModel_shouldBe503WithRetryAfterAndTheRequestId() {
        // GIVEN a fresh container and a registry that is down
        Outage<ModelRegistry> registry = Outage.of(ModelRegistry.class, p.registry);
        registry.down();
        serving = new ServingService(p.store, registry.port(), captured::add, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
        // WHEN
        ServingService.Reply reply = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsEntry("retry-after", "5");
        assertThat(body(reply).path("error").asText()).contains("registry is unreachable");
        assertThat(body(reply).path("request_id").asText()).isEqualTo("req-1");
        assertThat(serving.handle(new ServingService.Request("GET", "iris", new byte[0], "d")).status()).isEqualTo(503);
        assertThat(serving.handle(new ServingService.Request("GET", "iris/metadata", new byte[0], "d")).status())
                .isEqualTo(503);
    }

    @Test
    void artifactStoreDown_whenANewVersionIsPromoted_shouldKeepServingTheLoadedOne() {
        // GIVEN iris v1 loaded through a store that can fail
        Outage<ObjectStore> store = Outage.of(ObjectStore.class, p.store);
        serving = new ServingService(store.port(), p.registry, captured::add, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
        assertThat(post("iris:predict", "{\"instances\": [" + ROW + "]}").status()).isEqualTo(200);
        // WHEN v2 is promoted while the store is down
        p.runToEnd(p.upload("iris", "iris-2.csv", Datasets.read("iris") + "5.0,3.4,1.5,0.2,setosa\n", Map.of()).runId());
        store.down();
        p.clock.advance(Duration.ofSeconds(3));
        ServingService.Reply reply = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN v1 still answers (counted stale); once the store is back, v2 does
        assertThat(reply.status()).isEqualTo(200);
        assertThat(body(reply).path("model_version").asInt()).isEqualTo(1);
        assertThat(p.metrics.total("StaleModelServed")).isEqualTo(1);
        store.up();
        assertThat(body(post("iris:predict", "{\"instances\": [" + ROW + "]}")).path("model_version").asInt()).isEqualTo(2);
    }

    @Test
    void aWarmContainer_shouldNotCallTheRegistryPerRequest() {
        // GIVEN
        Outage<ModelRegistry> registry = Outage.of(ModelRegistry.class, p.registry);
        serving = new ServingService(p.store, registry.port(), captured::add, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
        post("iris:predict", "{\"instances\": [" + ROW + "]}");
        int calls = registry.calls();
        // WHEN
        for (int i = 0; i < 100; i++) {
            post("iris:predict", "{\"instances\": [" + ROW + "]}");
        }
        // THEN
        assertThat(registry.calls()).isEqualTo(calls);
    }

    @Test
    void warmUpRequests_shouldReadTheRegistryOnce_andScoreEachProductionModel() {
        // WHEN
        List<ServingService.Request> warmUp = serving.warmUpRequests(5);
        // THEN
        assertThat(warmUp).hasSize(1);
        ServingService.Reply reply = serving.handle(warmUp.get(0), false);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(captured).isEmpty();
    }

    @Test
    void aRegistryFailingInAnyWay_shouldBeA503WithTheRequestId_andNoInternals() {
        // GIVEN a registry that fails in a way no one planned for
        ModelRegistry broken = (ModelRegistry) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ModelRegistry.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("bug at dev.mlops.Secret");
                });
        serving = new ServingService(p.store, broken, captured::add, p.metrics, 1.0, () -> 0.5, 1 << 20, p.clock);
        // WHEN
        ServingService.Reply reply = serving.handle(new ServingService.Request("GET", "iris", new byte[0], "x"));
        ServingService.Reply predict = post("iris:predict", "{\"instances\": [" + ROW + "]}");
        // THEN the registry's own failures are 503s (it may be a wobble), never a bare exception
        assertThat(reply.status()).isEqualTo(503);
        assertThat(predict.status()).isEqualTo(503);
        assertThat(reply.body()).doesNotContain("Secret").contains("\"request_id\":\"x\"");
    }
}
