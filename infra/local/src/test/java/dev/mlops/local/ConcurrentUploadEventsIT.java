package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3 delivers events at least once, and a redelivery can arrive while the first delivery is still being
 * processed: ten identical events for one upload, sent to the ingest function at the same moment through the
 * Lambda Invoke API (each on its own function instance, as Lambda would run them), still make one dataset
 * version and one execution.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class ConcurrentUploadEventsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int EVENTS = 10;

    @Test
    void tenIdenticalEventsAtOnce_shouldMakeOneDatasetVersionAndOneExecution(LocalEnvironment env) throws Exception {
        // GIVEN an upload (the local S3 watcher will deliver its own event too: an eleventh)
        StackPorts stack = new StackPorts(env);
        byte[] wine = Files.readAllBytes(Repo.file("data/wine.csv"));
        String key = "incoming/concurrent-it/wine.csv";
        stack.put(key, wine, Map.of());
        String version = Sha256.hex(wine);
        byte[] event = Events.s3ObjectCreated("IngestValidationFunction-S3", stack.bucket(), key, wine.length, "etag",
                null, 1);
        URI invoke = URI.create(env.info().lambdaUrl() + "/2015-03-31/functions/"
                + env.model().function("IngestValidationFunction").name() + "/invocations");

        // WHEN ten identical events are delivered at once
        ExecutorService pool = Executors.newFixedThreadPool(EVENTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return HTTP.send(HttpRequest.newBuilder(invoke).POST(HttpRequest.BodyPublishers.ofByteArray(event))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }));
        }
        start.countDown();
        List<String> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(response.body()).isEmpty();
            JsonNode outcome = Json.MAPPER.readTree(response.body()).get(0);
            statuses.add(outcome.path("status").asText());
            assertThat(outcome.path("dataset_version").asText()).isEqualTo(version);
        }
        pool.shutdown();

        // THEN every delivery concludes the same outcome of the one upload (a redelivery is not a duplicate upload)
        assertThat(statuses).hasSize(EVENTS).containsOnly("VALID");
        String versionId = env.clients().s3().headObject(b -> b.bucket(stack.bucket()).key(key)).versionId();
        assertThat(stack.datasets().findUpload(key, versionId).orElseThrow().status())
                .isEqualTo(dev.mlops.core.domain.UploadStatus.VALID);
        // one dataset version, one run, and one execution of the state machine
        assertThat(stack.datasets().versions("concurrent-it")).hasSize(1);
        String runId = RunRequest.runIdFor("concurrent-it", version);
        assertThat(stack.awaitRun(runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        String machine = env.model().stateMachines().get(0).arn();
        List<ExecutionListItem> executions = new ArrayList<>();
        env.clients().stepFunctions().listExecutionsPaginator(b -> b.stateMachineArn(machine))
                .forEach(page -> executions.addAll(page.executions()));
        assertThat(executions).filteredOn(e -> e.name().startsWith(runId)).hasSize(1);
    }
}
