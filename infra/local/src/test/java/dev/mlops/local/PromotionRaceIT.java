package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.Schema;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.testing.Datasets;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race the skeleton lost, on the emulators through the real functions: a run blessed against
 * v1 reaches its promotion after another run moved production on. Production must stay where the
 * other run put it, and the late run must say why it did not promote.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class PromotionRaceIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPromotionBlessedAgainstV1_afterProductionMoved_shouldLeaveProductionWhereItIs(LocalEnvironment env)
            throws Exception {
        StackPorts stack = new StackPorts(env);
        String wine = Files.readString(Repo.file("data/wine.csv"));
        // GIVEN v1 in production through the pipeline (one candidate a run: the hand-stepped run below trains
        // the same one, so its model is v1's and the blessing a tie)
        stack.store().putJson(Layout.config("race-it"), Map.of("training", Map.of("families",
                List.of("logistic-regression"))));
        byte[] first = wine.getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/race-it/wine.csv", first, Map.of());
        Run v1 = stack.awaitRun("race-it", Sha256.hex(first));
        assertThat(v1.productionVersion()).isEqualTo(1);

        // AND a second run, stepped by hand as the state machine would, registered and blessed against v1
        byte[] second = Datasets.shuffled(wine, 2).getBytes(StandardCharsets.UTF_8);
        String version = Sha256.hex(second);
        // (under incoming/, the only prefix the training function may read uploads from, with a suffix the upload
        // trigger ignores: only this hand-stepped run uses it)
        String key = "incoming/race-it/wine-2.csv.staged";
        String objectVersion = stack.store().put(key, second, "text/csv");
        stack.store().putJson(Layout.validatedSchema("race-it", version),
                Schema.infer(CsvParser.parse(new ByteArrayInputStream(second), CsvLimits.DEFAULT), "label"));
        RunRequest request = new RunRequest(RunRequest.runIdFor("race-it", version), "race-it", version, "race-it",
                "label", new SourceObject(stack.bucket(), key, objectVersion, version),
                v1.request().candidates(), null);
        stack.runs().start(Run.started(request, "arn:local", 1, null, Instant.now()));
        TrainedCandidate trained = Json.convert(invoke(env, "TrainingFunction", new TrainingTask(request.runId(),
                "race-it", version, "race-it", "label", request.source(), request.candidates().get(0), 0)),
                TrainedCandidate.class);
        JsonNode registration = invoke(env, "RegistryFunction", new RegistryTask.Register(request.runId(), "race-it",
                version, "race-it", "label", request.source(), List.of(trained), null));
        assertThat(registration.path("version").asInt()).isEqualTo(2);
        assertThat(registration.path("blessed").asBoolean()).isTrue();
        assertThat(registration.path("champion_version").asInt()).isEqualTo(1);
        // (the same rows in another order: the same model, scored on rows neither trained on — a tie)
        assertThat(registration.path("challenger_score").asDouble())
                .isEqualTo(registration.path("champion_score").asDouble());

        // AND a third upload that the pipeline promotes first
        byte[] third = Datasets.shuffled(wine, 3).getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/race-it/wine-3.csv", third, Map.of());
        assertThat(stack.awaitRun("race-it", Sha256.hex(third)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stack.registry().alias("race-it", "production")).contains(3);

        // WHEN the second run's promotion arrives, from the champion it was blessed against
        JsonNode promotion = invoke(env, "RegistryFunction", new RegistryTask.Promote(request.runId(), "race-it", 2, 1));

        // THEN production stays at v3, and the run ended CHAMPION_MOVED with the reason
        assertThat(promotion.path("outcome").asText()).isEqualTo("CHAMPION_MOVED");
        assertThat(stack.registry().alias("race-it", "production")).contains(3);
        Run late = stack.runs().find(request.runId()).orElseThrow();
        assertThat(late.status()).isEqualTo(RunStatus.CHAMPION_MOVED);
        assertThat(late.reason()).contains("production moved to v3 after v2 was blessed against v1");
    }

    private static JsonNode invoke(LocalEnvironment env, String function, Object task) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.info().lambdaUrl()
                        + "/2015-03-31/functions/" + env.model().function(function).name() + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(task))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(new String(response.body())).isEmpty();
        return Json.tree(response.body());
    }
}
