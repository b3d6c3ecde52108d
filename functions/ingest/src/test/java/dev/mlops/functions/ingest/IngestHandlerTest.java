package dev.mlops.functions.ingest;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
