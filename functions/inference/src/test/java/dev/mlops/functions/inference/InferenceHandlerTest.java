package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.memory.Outage;
import dev.mlops.core.registry.Change;
import dev.mlops.core.registry.RegistryCommand;
import dev.mlops.core.serving.BackgroundCapture;
import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InferenceHandlerTest {

    private final PipelineHarness p = new PipelineHarness();
    private InferenceHandler handler;
    private BackgroundCapture capture;

    @BeforeEach
    void trainIris() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        capture = new BackgroundCapture(new CaptureBatcher(p.store, CaptureBatcher.Settings.defaults(), p.clock),
                p.metrics, 16);
        handler = new InferenceHandler(new ServingService(p.store, p.registry, capture,
                p.metrics, 1.0, () -> 0.0, 1 << 20, p.clock), PowertoolsMetrics.fromEnvironment(), capture);
    }

    private static APIGatewayV2HTTPEvent event(String file) throws Exception {
        byte[] json = Files.readAllBytes(Path.of("../../events/InferenceFunction/" + file));
        return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, InferenceHandlerTest.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json));
    }

    @Test
    void theSamplePredictEvent_shouldBeAnsweredWithTheRequestIdAsAHeader() throws Exception {
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("predict.json"), null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("x-request-id", "JKJaXmPLvHcESHA=")
                .containsEntry("content-type", "application/json");
        assertThat(response.getBody()).contains("\"predictions\"").contains("\"request_id\":\"JKJaXmPLvHcESHA=\"");
        // AND the capture is in a batch, which the runtime's shutdown (close) writes
        handler.close();
        var batches = p.store.list("capture/iris/", null);
        assertThat(batches).hasSize(1);
        assertThat(gunzip(p.store.find(batches.get(0).key()).orElseThrow().bytes()))
                .contains("\"request_id\":\"JKJaXmPLvHcESHA=\"");
    }

    @Test
    void anUnsafeRequestId_shouldBeReplaced_andBadBase64AnsweredWith400() throws Exception {
        // GIVEN a request id that could not name an S3 key, and a body that claims base64 but is not
        APIGatewayV2HTTPEvent e = event("predict.json");
        e.getRequestContext().setRequestId("../../etc/passwd");
        e.setIsBase64Encoded(true);
        e.setBody("%%%");
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(e, null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders().get("x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(response.getBody()).contains("base64");
    }

    @Test
    void theProductionChangedEvent_shouldMakeTheNextPredictionReadProductionAgain_beforeTheRereadPeriodEnds()
            throws Exception {
        // GIVEN v2 in production and served (its alias cached)
        p.runToEnd(p.upload("iris", "iris-2.csv", Datasets.shuffled(Datasets.read("iris"), 2), java.util.Map.of()).runId());
        assertThat(handler.handleRequest(event("predict.json"), null).getBody()).contains("\"model_version\":2");
        // AND a rollback to v1, with the clock standing still (the alias re-read period has not passed)
        Change change = p.commands.rollback(new RegistryCommand.Rollback("iris", null, "cli:ann",
                null, false));
        assertThat(change.productionAfter()).isEqualTo(1);
        assertThat(handler.handleRequest(event("predict.json"), null).getBody()).contains("\"model_version\":2");
        // WHEN the registry's event arrives
        APIGatewayV2HTTPResponse refreshed = handler.handleRequest(event("production-changed.json"), null);
        // THEN the next prediction is served by v1
        assertThat(refreshed.getStatusCode()).isEqualTo(200);
        assertThat(handler.handleRequest(event("predict.json"), null).getBody()).contains("\"model_version\":1");
    }

    @Test
    void theVersionRoutes_shouldAnswerInTensorFlowServingsShapes() throws Exception {
        // WHEN
        APIGatewayV2HTTPResponse version = handler.handleRequest(event("describe-version.json"), null);
        APIGatewayV2HTTPResponse metadata = handler.handleRequest(event("version-metadata.json"), null);
        APIGatewayV2HTTPResponse model = handler.handleRequest(event("describe.json"), null);
        // THEN
        assertThat(version.getStatusCode()).isEqualTo(200);
        assertThat(version.getBody()).contains("\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\"");
        assertThat(metadata.getStatusCode()).isEqualTo(200);
        assertThat(metadata.getBody()).contains("\"model_spec\":{\"name\":\"iris\",\"signature_name\":\"\",\"version\":\"1\"}")
                .contains("{\"name\":\"sepal_length_cm\",\"type\":\"NUMERIC\"}")
                .contains("\"classes\":[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(model.getBody()).contains("\"production_version\":1").contains("\"blessed\":true");
    }

    @Test
    void theInvalidInstanceSample_shouldBeA400NamingTheField() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("predict-invalid-instance.json"), null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("instances[0].sepal_length_cm");
        assertThat(new String(response.getBody().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .contains("request_id");
    }

    @Test
    void aNumberTooLargeForTheModel_shouldBeA400NamingTheField() throws Exception {
        // GIVEN
        APIGatewayV2HTTPEvent e = event("predict.json");
        e.setBody("{\"instances\":[{\"petal_width_cm\":1e308}]}");
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(e, null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("instances[0].petal_width_cm").contains("\"request_id\":\"JKJaXmPLvHcESHA=\"");
    }

    @Test
    void theMetadataRoute_andAPinnedVersion_shouldBeRoutedFromTheRawPathAndQuery() throws Exception {
        // GIVEN
        APIGatewayV2HTTPEvent metadata = event("describe.json");
        metadata.setRawPath("/v1/models/iris/metadata");
        APIGatewayV2HTTPEvent pinned = event("predict.json");
        pinned.setQueryStringParameters(Map.of("version", "2"));
        // WHEN
        APIGatewayV2HTTPResponse m = handler.handleRequest(metadata, null);
        APIGatewayV2HTTPResponse v = handler.handleRequest(pinned, null);
        // THEN
        assertThat(m.getStatusCode()).isEqualTo(200);
        assertThat(m.getBody()).contains("\"signature\"").contains("\"petal_width_cm\"");
        assertThat(v.getStatusCode()).isEqualTo(404);
        assertThat(v.getBody()).contains("model iris has no version 2");
    }

    @Test
    void brokenPercentEncoding_shouldBeA400WithTheRequestId() throws Exception {
        // GIVEN
        APIGatewayV2HTTPEvent e = event("predict.json");
        e.setRawPath("/v1/models/%zz:predict");
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(e, null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("x-request-id", "JKJaXmPLvHcESHA=");
    }

    @Test
    void registryDown_beforeAnyModelIsLoaded_shouldBe503WithRetryAfterAndTheRequestId() throws Exception {
        // GIVEN
        Outage<ModelRegistry> registry = Outage.of(ModelRegistry.class, p.registry);
        registry.down();
        handler = new InferenceHandler(new ServingService(p.store, registry.port(), capture,
                p.metrics, 1.0, () -> 0.0, 1 << 20, p.clock), PowertoolsMetrics.fromEnvironment());
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("predict.json"), null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("retry-after", "5").containsEntry("x-request-id", "JKJaXmPLvHcESHA=");
        assertThat(response.getBody()).contains("\"request_id\":\"JKJaXmPLvHcESHA=\"");
    }

    @Test
    void anHttpEventWithoutContextOrPath_shouldStillGetAJsonAnswerWithARequestId() {
        // GIVEN an HTTP API event (it has a route key) with nothing else
        APIGatewayV2HTTPEvent bare = new APIGatewayV2HTTPEvent();
        bare.setRouteKey("POST /v1/models/{model}");
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(bare, null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders().get("x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(response.getBody()).contains("\"request_id\":\"" + response.getHeaders().get("x-request-id") + "\"");
    }

    private static String gunzip(byte[] bytes) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void snapStartWarmUp_shouldPredictOncePerProductionModel_withoutCapturingIt() {
        // WHEN
        java.util.List<Integer> statuses = handler.warmUp();
        // THEN
        assertThat(statuses).containsExactly(200);
        handler.close();
        assertThat(p.store.list("capture/", null)).isEmpty();
    }
}
