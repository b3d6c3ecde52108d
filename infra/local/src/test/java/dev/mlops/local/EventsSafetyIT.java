package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every sample in events/ is safe to invoke: on a stack that has never seen the iris dataset, and
 * on one with a trained iris model, invoking each of them leaves no run, model version or alias
 * changed that the event was not meant to change, and no request gets a 5xx afterwards. This is
 * the only test that uses the names the samples use ({@code iris}).
 */
@ExtendWith(LocalEnvironmentExtension.class)
class EventsSafetyIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = "iris-d3b09efd6de0066a211e69284451f0d4";

    /** What an event must not change. */
    private record State(Optional<Run> run, List<ModelVersion> versions, Optional<Integer> production,
                         List<DatasetVersion> datasets, int audit) {
    }

    /**
     * What the events may not change. The tag sample is meant to tag iris v1 (an audited change):
     * tags and tag entries are left out, everything else must stay as it was.
     */
    private State state(StackPorts stack) {
        return new State(stack.runs().find(RUN), stack.registry().versions("iris").stream()
                .map(v -> new ModelVersion(v.model(), v.version(), v.createdAt(), v.lineage(), v.artifact(), v.training(),
                        v.blessing(), v.approval(), Map.of())).toList(),
                stack.registry().alias("iris", "production"), stack.datasets().versions("iris"),
                (int) stack.registry().auditTrail("iris").stream().filter(e -> !e.action().equals("tag")).count());
    }

    @Test
    void everySampleEvent_shouldChangeNothingItWasNotMeantTo_onAFreshStackAndOnOneWithAModel(LocalEnvironment env)
            throws Exception {
        StackPorts stack = new StackPorts(env);
        // GIVEN a stack without the iris dataset
        State fresh = state(stack);
        assertThat(fresh.run()).isEmpty();
        // WHEN every sample is invoked
        invokeEverySample(env);
        // THEN nothing about iris exists
        assertThat(state(stack)).isEqualTo(fresh);

        // GIVEN the bundled iris dataset trained and in production
        byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        stack.put("incoming/iris/iris.csv", iris, Map.of());
        Run run = stack.awaitRun("iris", Sha256.hex(iris));
        assertThat(run.runId()).isEqualTo(RUN);
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        State trained = state(stack);
        // WHEN every sample is invoked again
        invokeEverySample(env);
        // THEN the run, the versions, production, the datasets and the audit trail are as they were
        assertThat(state(stack)).isEqualTo(trained);
        // AND the API answers without a 5xx
        for (Path file : samples("InferenceFunction")) {
            JsonNode response = invoke(env, "InferenceFunction", Files.readAllBytes(file));
            assertThat(response.path("statusCode").asInt()).as(file.toString()).isLessThan(500);
        }
        JsonNode prediction = invoke(env, "InferenceFunction", Files.readAllBytes(Repo.file(
                "events/InferenceFunction/predict.json")));
        assertThat(prediction.path("statusCode").asInt()).isEqualTo(200);
        JsonNode explanation = invoke(env, "InferenceFunction", Files.readAllBytes(Repo.file(
                "events/InferenceFunction/explain.json")));
        assertThat(explanation.path("statusCode").asInt()).isEqualTo(200);
        assertThat(Json.tree(explanation.path("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .path("explanations").get(1).path("contributions").size()).isEqualTo(4);
    }

    private void invokeEverySample(LocalEnvironment env) throws Exception {
        for (String function : List.of("IngestValidationFunction", "TrainingFunction", "RegistryFunction",
                "InferenceFunction", "DriftCheckFunction")) {
            for (Path file : samples(function)) {
                invoke(env, function, Files.readAllBytes(file));
            }
        }
        // The state machine's input, started as `aws stepfunctions start-execution --input` would: a fresh name.
        for (Path file : samples("TrainingPipeline")) {
            String machine = env.model().stateMachines().get(0).arn();
            String input = Files.readString(file);
            String arn = env.clients().stepFunctions().startExecution(b -> b.stateMachineArn(machine)
                    .name("sample-" + UUID.randomUUID()).input(input)).executionArn();
            await().atMost(Duration.ofSeconds(120)).until(() -> env.clients().stepFunctions()
                    .describeExecution(b -> b.executionArn(arn)).status() != ExecutionStatus.RUNNING);
        }
    }

    private static List<Path> samples(String folder) throws Exception {
        try (Stream<Path> files = Files.list(Repo.file("events/" + folder))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Invokes a function through the Lambda Invoke API; a function error is an answer too. */
    private static JsonNode invoke(LocalEnvironment env, String function, byte[] event) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.info().lambdaUrl()
                        + "/2015-03-31/functions/" + env.model().function(function).name() + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.tree(response.body());
    }
}
