package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hostile upload cannot take the stack down: a valid CSV of 40 rows × 4,000 numeric columns, which the
 * forests cannot train in a training function cut down to 20 s and 512 MB (a copy of the template: the same
 * limits as AWS enforces them, without waiting 15 minutes), is skipped or stopped within those limits, while
 * another model's predictions are answered and every one of them is captured. Their latency during the upload
 * is printed for BENCHMARKS.md ("One hostile upload").
 */
class WideUploadIT {

    private static final String TRAINING_LIMITS = "MemorySize: 3008\n      Timeout: 900";

    @Test
    void aWideUpload_shouldBeSkippedOrStoppedWithinItsLimits_whileAnotherModelIsServedAndCaptured() throws Exception {
        Path home = Files.createTempDirectory("mlops-wide-");
        try (TemplateCopy template = TemplateCopy.replacing(TRAINING_LIMITS, "MemorySize: 512\n      Timeout: 20");
             LocalEnvironment env = LocalEnvironment.start(Repo.root(), home,
                     LocalEnvironment.Options.defaults(Repo.root()).withTemplate(template.file()))) {
            // GIVEN a model in production, answering predictions
            StackPorts stack = new StackPorts(env);
            stack.store().putJson(Layout.config("served-it"), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
            byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
            stack.put("incoming/served-it/iris.csv", iris, Map.of());
            assertThat(stack.awaitRun("served-it", Sha256.hex(iris)).status()).isEqualTo(RunStatus.SUCCEEDED);
            HttpClient http = HttpClient.newHttpClient();
            URI predict = URI.create(env.info().apiUrl() + "/v1/models/served-it:predict");
            String body = "{\"instances\":[{\"sepal_length_cm\":5.1,\"sepal_width_cm\":3.5,\"petal_length_cm\":1.4,"
                    + "\"petal_width_cm\":0.2}]}";

            assertThat(http.send(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("warm: its cold start is not measured")
                    .isEqualTo(200);

            // WHEN a very wide upload is trained (the default search), while predictions keep coming
            byte[] wide = wideCsv(40, 4000);
            AtomicBoolean training = new AtomicBoolean(true);
            List<Long> micros = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            List<String> requestIds = new ArrayList<>();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                while (training.get()) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict)
                                .timeout(Duration.ofSeconds(60)) // a hang guard only
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        micros.add((System.nanoTime() - t0) / 1000);
                        statuses.add(r.statusCode());
                        requestIds.add(Json.tree(r.body().getBytes(StandardCharsets.UTF_8)).path("request_id").asText());
                        Thread.sleep(50);
                    } catch (Exception e) {
                        statuses.add(-1);
                    }
                }
            });
            stack.put("incoming/wide-it/wide.csv", wide, Map.of());
            Run run = stack.awaitRun("wide-it", Sha256.hex(wide));
            training.set(false);
            traffic.get();

            // THEN the run ended within the training function's limits: every candidate that could not finish was
            // skipped with its estimate, or stopped by Lambda's own timeout or memory bound (Lambda.Unknown)
            if (run.status() == RunStatus.FAILED) {
                assertThat(run.error()).isEqualTo("Lambda.Unknown");
                assertThat(run.cause()).containsAnyOf("Task timed out after 20.00 seconds",
                        "Runtime exited with error: signal: killed");
            } else {
                assertThat(run.status()).as(run.toString()).isNotEqualTo(RunStatus.RUNNING);
            }
            // AND the other model answered every prediction, and captured every one
            assertThat(statuses).isNotEmpty().containsOnly(200);
            stack.awaitCaptured("served-it", requestIds);
            List<Long> sorted = micros.stream().sorted(Comparator.naturalOrder()).toList();
            System.out.printf("[wide-upload] run %s %s (%s); %d predictions of served-it meanwhile: p50 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms; all captured%n", run.runId(), run.status(), run.cause(), sorted.size(),
                    sorted.get(sorted.size() / 2) / 1e3, sorted.get((int) (sorted.size() * 0.99)) / 1e3,
                    sorted.get(sorted.size() - 1) / 1e3);
        } finally {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A valid CSV: {@code rows} rows of {@code columns} numeric features and a two-class label. */
    static byte[] wideCsv(int rows, int columns) {
        Random random = new Random(21);
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < columns; c++) {
            csv.append("f").append(c).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                csv.append(Math.round(random.nextGaussian() * 1000) / 1000.0).append(',');
            }
            csv.append(r % 2 == 0 ? "a" : "b").append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
