package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.registry.RegistryOperation;
import dev.mlops.core.registry.RegistryOperations;
import dev.mlops.core.serving.ObjectStoreCapture;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
    void theProductionChangedEvent_shouldMakeTheNextPredictionReadProductionAgain_beforeTheRereadPeriodEnds()
            throws Exception {
        // GIVEN v2 in production and served (its alias cached)
        p.runToEnd(p.upload("iris", "iris-2.csv", Datasets.shuffled(Datasets.read("iris"), 2), java.util.Map.of()).runId());
        assertThat(handler.handleRequest(event("predict.json"), null).getBody()).contains("\"model_version\":2");
        // AND a rollback to v1, with the clock standing still (the alias re-read period has not passed)
        RegistryOperations.Change change = p.operations.rollback(new RegistryOperation.Rollback("iris", null, "cli:ann",
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
}
