package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.serving.ObjectStoreCapture;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.memory.Outage;
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

    @BeforeEach
    void trainIris() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        handler = new InferenceHandler(new ServingService(p.store, p.registry, new ObjectStoreCapture(p.store),
                p.metrics, 1.0, () -> 0.0, 1 << 20, p.clock), PowertoolsMetrics.fromEnvironment());
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
        assertThat(p.store.list("capture/iris/", null)).hasSize(1);
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
        assertThat(m.getBody()).contains("\"serving_default\"").contains("\"petal_width_cm\"");
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
        handler = new InferenceHandler(new ServingService(p.store, registry.port(), new ObjectStoreCapture(p.store),
                p.metrics, 1.0, () -> 0.0, 1 << 20, p.clock), PowertoolsMetrics.fromEnvironment());
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("predict.json"), null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("retry-after", "5").containsEntry("x-request-id", "JKJaXmPLvHcESHA=");
        assertThat(response.getBody()).contains("\"request_id\":\"JKJaXmPLvHcESHA=\"");
    }

    @Test
    void anEventWithoutContextOrPath_shouldStillGetAJsonAnswerWithARequestId() {
        // WHEN
        APIGatewayV2HTTPResponse response = handler.handleRequest(new APIGatewayV2HTTPEvent(), null);
        // THEN
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders().get("x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(response.getBody()).contains("\"request_id\":\"" + response.getHeaders().get("x-request-id") + "\"");
    }

    @Test
    void snapStartWarmUp_shouldPredictOncePerProductionModel_withoutCapturingIt() {
        // WHEN
        java.util.List<Integer> statuses = handler.warmUp();
        // THEN
        assertThat(statuses).containsExactly(200);
        assertThat(p.store.list("capture/", null)).isEmpty();
    }
}
