package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.memory.Outage;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackTest {

    private final PipelineHarness p = new PipelineHarness();
    private ServingService serving;

    @BeforeEach
    void trainIris() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        serving = new ServingService(p.store, p.registry, CaptureSink.NONE, p.metrics, 1.0, () -> 0.5, 1 << 20,
                p.clock);
    }

    private ServingService.Reply post(String target, String body) {
        return serving.handle(new ServingService.Request("POST", target, body.getBytes(StandardCharsets.UTF_8), "fb-1"));
    }

    private static String error(ServingService.Reply reply) {
        return Json.tree(reply.body().getBytes(StandardCharsets.UTF_8)).path("error").asText();
    }

    private List<Feedback.Label> stored() {
        return p.store.list("feedback/iris/", null).stream()
                .flatMap(o -> Feedback.read(p.store.find(o.key()).orElseThrow().bytes()).stream()).toList();
    }

    @Test
    void oneLabel_shouldBeStoredByTheTimeItWasReceived_andCounted() {
        // WHEN
        ServingService.Reply reply = post("iris:feedback", "{\"request_id\": \"JKJaXmPLvHcESHA=\", \"label\": \"setosa\"}");
        // THEN
        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = Json.tree(reply.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.path("accepted").asInt()).isEqualTo(1);
        assertThat(body.path("request_id").asText()).isEqualTo("fb-1");
        assertThat(p.store.list("feedback/iris/", null)).extracting(ObjectStore.ObjectInfo::key)
                .containsExactly("feedback/iris/dt=2026-11-27/hour=10/20261127T100001000Z-fb-1.jsonl");
        assertThat(stored()).containsExactly(new Feedback.Label("JKJaXmPLvHcESHA=", 0, "setosa", p.clock.instant()));
        assertThat(p.metrics.total("FeedbackReceived")).isEqualTo(1);
    }

    @Test
    void aBatch_shouldBeStoredWhole_withTheRowOfMultiRowRequests() {
        // WHEN
        ServingService.Reply reply = post("iris:feedback", "{\"feedback\": [{\"request_id\": \"a\", \"label\": \"setosa\"},"
                + " {\"request_id\": \"b\", \"instance\": 2, \"label\": \" virginica \"}]}");
        // THEN
        assertThat(reply.status()).isEqualTo(200);
        assertThat(stored()).extracting(Feedback.Label::requestId, Feedback.Label::instance, Feedback.Label::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0, "setosa"),
                        org.assertj.core.groups.Tuple.tuple("b", 2, "virginica"));
    }

    @Test
    void everyMistake_shouldBeA4xxNamingItsPlace_andStoreNothing() {
        Map<String, String> mistakes = Map.ofEntries(
                Map.entry("{\"feedback\": [{\"request_id\": \"a\", \"label\": \"setosa\"}, {\"request_id\": \"b\", "
                        + "\"label\": \"rose\"}]}", "feedback[1].label: \"rose\" is not a class of model iris; expected one of"
                        + " setosa, versicolor, virginica"),
                Map.entry("{\"label\": \"setosa\"}", "request_id: required"),
                Map.entry("{\"request_id\": \"../x\", \"label\": \"setosa\"}", "request_id: \"../x\" is not a request id"),
                Map.entry("{\"request_id\": \"a\"}", "label: required"),
                Map.entry("{\"request_id\": \"a\", \"label\": 1.5}", "label: expected a class name"),
                Map.entry("{\"request_id\": \"a\", \"label\": \"setosa\", \"score\": 1}", "score: unknown field"),
                Map.entry("{\"request_id\": \"a\", \"label\": \"setosa\", \"instance\": -1}", "instance: expected"),
                Map.entry("{\"feedback\": [{\"request_id\": \"a\", \"label\": \"setosa\"}, {\"request_id\": \"a\", "
                        + "\"label\": \"virginica\"}]}", "feedback[1].request_id: \"a\" (instance 0) is labelled twice"),
                Map.entry("{\"feedback\": []}", "feedback: expected a non-empty array"),
                Map.entry("[1]", "body must be a JSON object"),
                Map.entry("{\"request_id\": ", "body is not valid JSON"),
                Map.entry("", "empty body"));
        mistakes.forEach((body, expected) -> {
            ServingService.Reply reply = post("iris:feedback", body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(error(reply)).as(body).contains(expected);
        });
        assertThat(post("nothing:feedback", "{\"request_id\": \"a\", \"label\": \"x\"}").status()).isEqualTo(404);
        assertThat(post("iris:feedback?x", "{}").status()).isEqualTo(404);
        assertThat(serving.handle(new ServingService.Request("POST", "iris:feedback", Map.of("version", "1"),
                "{\"request_id\": \"a\", \"label\": \"setosa\"}".getBytes(StandardCharsets.UTF_8), "q")).status())
                .isEqualTo(400);
        assertThat(p.store.list("feedback/", null)).isEmpty();
    }

    @Test
    void aStoreThatCannotBeReached_shouldBe503_soTheClientSendsAgain() {
        // GIVEN the model loaded, then S3 down
        Outage<ObjectStore> s3 = Outage.of(ObjectStore.class, p.store);
        serving = new ServingService(s3.port(), p.registry, CaptureSink.NONE, p.metrics, 1.0, () -> 0.5, 1 << 20,
                p.clock);
        assertThat(post("iris:predict", "{\"instances\": [{\"sepal_length_cm\": 5.1}]}").status()).isEqualTo(200);
        s3.down();
        // WHEN
        ServingService.Reply reply = post("iris:feedback", "{\"request_id\": \"a\", \"label\": \"setosa\"}");
        // THEN
        assertThat(reply.status()).isEqualTo(503);
        assertThat(error(reply)).contains("send it again");
    }
}
