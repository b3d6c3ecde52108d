package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DynamoDB emulator stops while the API serves: a model already loaded keeps answering, one
 * that was never loaded answers 503 with the reason, {@code Retry-After} and its request id. On a
 * stack of its own, since the registry does not come back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryOutageIT {

    private static final String ROW = "{\"instances\": [{\"sepal_length_cm\": 5.1, \"sepal_width_cm\": 3.5,"
            + " \"petal_length_cm\": 1.4, \"petal_width_cm\": 0.2}]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private Path home;
    private LocalEnvironment env;
    private URI api;

    @BeforeAll
    void twoModelsOneLoaded_thenTheRegistryStops() throws Exception {
        home = Files.createTempDirectory("mlops-outage-it-");
        env = LocalEnvironment.start(Repo.root(), home);
        api = URI.create(env.info().apiUrl());
        byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        String bucket = env.model().bucket().name();
        StackPorts stack = new StackPorts(env);
        // Only one model is trained: every new execution environment warms up each production model as it starts
        // (what SnapStart's snapshot holds), so a production model cannot be kept out of all of them. The model
        // never loaded is one the function has never seen, which it can only ask the registry about.
        env.clients().s3().putObject(b -> b.bucket(bucket).key("incoming/loaded-it/iris.csv"), RequestBody.fromBytes(iris));
        stack.awaitRun("loaded-it", Sha256.hex(iris));
        assertThat(predict("loaded-it").statusCode()).isEqualTo(200);
        // The registry stops: the DynamoDB emulator's processes end, and the supervisor (which would start it
        // again a second later) keeps it down for the rest of the class.
        env.emulators().restartDelay(Duration.ofMinutes(10));
        env.emulators().kill("dynalite");
        // Longer than the alias is trusted, so the next requests try to re-read it.
        Thread.sleep(2_500);
    }

    @AfterAll
    void stop() throws Exception {
        if (env != null) {
            env.close();
        }
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aLoadedModel_shouldKeepAnswering() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = predict("loaded-it");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).path("model_version").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aModelNeverLoaded_shouldBe503WithTheReasonRetryAfterAndTheRequestId() throws Exception {
        HttpResponse<String> response = predict("unloaded-it");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).isPresent();
        assertThat(json(response).path("error").asText()).contains("registry is unreachable");
        assertThat(response.headers().firstValue("x-request-id")).contains(json(response).path("request_id").asText());
    }

    private HttpResponse<String> predict(String model) throws Exception {
        return http.send(HttpRequest.newBuilder(api.resolve("/v1/models/" + model + ":predict"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.tree(response.body().getBytes(StandardCharsets.UTF_8));
    }
}
