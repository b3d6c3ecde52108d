package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.Schema;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regression through the in-memory pipeline: the upload names its task, the run trains regression candidates,
 * the registry blesses by RMSE and the API answers numbers; a later upload naming another task is refused.
 */
class RegressionServingTest {

    private final PipelineHarness p = new PipelineHarness();
    private String diamonds;

    /** Every tenth row of the bundled diamonds sample: 1,000 rows. */
    @BeforeEach
    void upload() {
        diamonds = Datasets.everyNth("diamonds", 10);
        p.store.putJson(Layout.config("diamonds"), Map.of("training",
                Map.of("families", List.of("linear-regression", "cart"))));
    }

    @Test
    void aRegressionUpload_shouldTrainBlessAndServeNumbers() {
        // WHEN the upload names its task
        IngestionService.Outcome outcome = p.upload("diamonds", "diamonds.csv", diamonds,
                Map.of("label", "price", "task", "regression"));
        // THEN the schema records it, and the run's candidates are regression families selected on RMSE
        assertThat(outcome.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(p.store.findJson(Layout.schema("diamonds"), Schema.class).orElseThrow().task())
                .isEqualTo("regression");
        RunRequest request = p.request(outcome.runId());
        assertThat(request.candidates()).allSatisfy(c -> {
            assertThat(c.task()).isEqualTo("regression");
            assertThat(c.selectionMetric()).isEqualTo("rmse");
        }).extracting(c -> c.algorithm()).containsOnly("linear-regression", "cart");
        // AND the first version is blessed, and serves numbers
        p.runToEnd(outcome.runId());
        ServingService serving = new ServingService(p.store, p.registry, CaptureSink.NONE, p.metrics, 1.0, () -> 0.5,
                1 << 20, p.clock);
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "diamonds:predict",
                ("{\"instances\": [{\"carat\": 0.3, \"cut\": \"Ideal\", \"color\": \"E\", \"clarity\": \"VS1\","
                        + " \"depth\": 61.5, \"table\": 56, \"x\": 4.3, \"y\": 4.3, \"z\": 2.65},"
                        + " {\"carat\": 1.5, \"cut\": \"Premium\", \"color\": \"G\", \"clarity\": \"VS2\","
                        + " \"depth\": 62, \"table\": 58, \"x\": 7.3, \"y\": 7.3, \"z\": 4.5}]}")
                        .getBytes(StandardCharsets.UTF_8), "req-1"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = Json.tree(reply.body().getBytes(StandardCharsets.UTF_8));
        JsonNode predictions = body.path("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).has("label")).isFalse();
        assertThat(predictions.get(1).path("value").asDouble()).isGreaterThan(predictions.get(0).path("value").asDouble());
        assertThat(body.path("model_version").asInt()).isEqualTo(1);
        // AND TensorFlow Serving's columnar form answers the values in a column
        ServingService.Reply columnar = serving.handle(new ServingService.Request("POST", "diamonds:predict",
                ("{\"inputs\": {\"carat\": [0.3, 1.5], \"cut\": [\"Ideal\", \"Premium\"], \"color\": [\"E\", \"G\"],"
                        + " \"clarity\": [\"VS1\", \"VS2\"]}}").getBytes(StandardCharsets.UTF_8), "req-2"));
        assertThat(columnar.status()).as(columnar.body()).isEqualTo(200);
        JsonNode outputs = Json.tree(columnar.body().getBytes(StandardCharsets.UTF_8)).path("outputs");
        assertThat(outputs.path("value")).hasSize(2);
        assertThat(outputs.has("label")).isFalse();
        // AND feedback takes the true number, and refuses a word
        ServingService.Reply feedback = serving.handle(new ServingService.Request("POST", "diamonds:feedback",
                "{\"request_id\": \"req-1\", \"label\": 512.5}".getBytes(StandardCharsets.UTF_8), "fb-1"));
        assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
        ServingService.Reply word = serving.handle(new ServingService.Request("POST", "diamonds:feedback",
                "{\"request_id\": \"req-1\", \"label\": \"cheap\"}".getBytes(StandardCharsets.UTF_8), "fb-2"));
        assertThat(word.status()).isEqualTo(400);
        assertThat(word.body()).contains("expected the true value, a finite number");
        ModelSignature signature = p.store.findJson(p.registry.find("diamonds", 1).orElseThrow().artifact()
                .signatureKey(), ModelSignature.class).orElseThrow();
        assertThat(signature.task()).isEqualTo("regression");
    }

    @Test
    void explainingARegression_shouldBeA400NamingWhy_andItsCardGoesWithoutPermutationImportance() {
        // GIVEN a regression version in production
        IngestionService.Outcome outcome = p.upload("diamonds", "diamonds.csv", diamonds,
                Map.of("label", "price", "task", "regression"));
        p.runToEnd(outcome.runId());
        ServingService serving = new ServingService(p.store, p.registry, CaptureSink.NONE, p.metrics, 1.0, () -> 0.5,
                1 << 20, p.clock);
        // WHEN it is asked why
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "diamonds:explain",
                "{\"instances\": [{\"carat\": 0.3, \"cut\": \"Ideal\"}]}".getBytes(StandardCharsets.UTF_8),
                "req-1"));
        // THEN a 400 with the reason, not a server fault
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(Json.tree(reply.body().getBytes(StandardCharsets.UTF_8)).path("error").asText())
                .isEqualTo("explanations of regression models are not supported yet: only classification models"
                        + " are explained");
        // AND the version's card has no permutation importance (measured by accuracy, a classification's)
        JsonNode card = Json.tree(p.store.find(Layout.modelPrefix("diamonds", 1) + "model-card.json").orElseThrow()
                .bytes());
        assertThat(card.path("metrics").isMissingNode()).isFalse();
        assertThat(card.has("feature_importance")).isFalse();
    }

    @Test
    void aLaterUploadNamingAnotherTask_shouldBeAnAnomalyWithAClearMessage() {
        // GIVEN diamonds accepted as a regression
        p.upload("diamonds", "diamonds.csv", diamonds, Map.of("label", "price", "task", "regression"));
        // WHEN another upload calls it a classification
        IngestionService.Outcome again = p.upload("diamonds", "more.csv", diamonds.replace("Ideal", "Ideal "),
                Map.of("task", "classification"));
        // THEN
        assertThat(again.status()).isEqualTo(IngestionService.Status.INVALID);
        assertThat(again.reason()).contains("names the task classification but diamonds is a regression");
    }
}
