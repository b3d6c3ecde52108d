package dev.mlops.functions.ingest;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestHandlerTest {

    private final PipelineHarness p = new PipelineHarness();

    private static S3Event event(String file, String bucket) throws Exception {
        String json = Files.readString(Path.of("../../events/IngestValidationFunction/" + file))
                .replace("mlops-local-000000000000-data", bucket);
        try (InputStream in = new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
            return LambdaEventSerializers.serializerFor(S3Event.class, IngestHandlerTest.class.getClassLoader()).fromJson(in);
        }
    }

    @Test
    void anUrlEncodedKey_shouldBeDecodedAndTheOutcomeWrittenInSnakeCase() throws Exception {
        // GIVEN the object the sample event names ("iris copy (2).csv", sent as iris+copy+%282%29.csv)
        p.store.put("incoming/iris/iris copy (2).csv", Datasets.read("iris").getBytes(StandardCharsets.UTF_8), Map.of());
        IngestHandler handler = new IngestHandler(p.ingestion, PowertoolsMetrics.fromEnvironment());
        // WHEN
        List<Map<String, Object>> outcomes = handler.handleRequest(event("s3-put-url-encoded-key.json",
                p.store.bucket()), null);
        // THEN
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0)).containsEntry("key", "incoming/iris/iris copy (2).csv")
                .containsEntry("status", "VALID").containsKeys("dataset_version", "run_id", "execution_arn")
                .doesNotContainKeys("datasetVersion", "runId");
    }

    @Test
    void aKeyOutsideIncoming_shouldBeIgnored() throws Exception {
        IngestHandler handler = new IngestHandler(p.ingestion, PowertoolsMetrics.fromEnvironment());
        List<Map<String, Object>> outcomes = handler.handleRequest(event("s3-put-outside-incoming.json",
                p.store.bucket()), null);
        assertThat(outcomes.get(0)).containsEntry("status", "IGNORED");
        assertThat(p.launcher.started()).isEmpty();
    }

    @Test
    void anIngestThatKeepsFailing_shouldRecordRetrying_thenFailedDelivery_andARedriveShouldSettleIt() throws Exception {
        // GIVEN Step Functions unreachable for the ingest function
        String version = p.store.put("incoming/iris/iris.csv", Datasets.read("iris").getBytes(StandardCharsets.UTF_8),
                Map.of());
        boolean[] down = {true};
        PipelineLauncher flaky = new PipelineLauncher() {
            @Override
            public String executionIdFor(String runId) {
                return p.launcher.executionIdFor(runId);
            }

            @Override
            public Launch start(RunRequest request) {
                if (down[0]) {
                    throw new TransientException("Step Functions (http://127.0.0.1:1) could not be reached while"
                            + " starting the execution of run " + request.runId() + ": Connection refused", null);
                }
                return p.launcher.start(request);
            }

            @Override
            public Optional<Execution> describe(String executionId) {
                return p.launcher.describe(executionId);
            }
        };
        IngestHandler handler = new IngestHandler(new IngestionService(p.store, p.datasets, p.runs, flaky, p.metrics,
                p.clock), PowertoolsMetrics.fromEnvironment(), 3);
        S3Event event = event("s3-put.json", p.store.bucket());
        // WHEN Lambda tries the event three times
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThatThrownBy(() -> handler.handleRequest(event, null)).isInstanceOf(TransientException.class);
            UploadOutcome recorded = p.datasets.findUpload("incoming/iris/iris.csv", version).orElseThrow();
            // THEN each failure is on the upload, the last one a failed delivery naming the service and what to do
            assertThat(recorded.attempts()).isEqualTo(attempt);
            assertThat(recorded.status()).isEqualTo(attempt < 3 ? UploadStatus.RETRYING : UploadStatus.FAILED_DELIVERY);
            assertThat(recorded.reason()).contains("Step Functions (http://127.0.0.1:1)");
        }
        assertThat(p.datasets.findUpload("incoming/iris/iris.csv", version).orElseThrow().reason())
                .contains("./mlops datasets redrive");
        // WHEN the service is back and the dead letter is replayed
        down[0] = false;
        List<Map<String, Object>> outcomes = handler.handleRequest(event, null);
        // THEN
        assertThat(outcomes.get(0)).containsEntry("status", "VALID");
        assertThat(p.datasets.findUpload("incoming/iris/iris.csv", version).orElseThrow().status())
                .isEqualTo(UploadStatus.VALID);
        assertThat(p.launcher.started()).hasSize(1);
    }
}
