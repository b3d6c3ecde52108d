package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.local.LocalEnvironmentExtension;
import dev.mlops.local.Repo;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regression on the emulators, as a user drives it: {@code ./mlops upload FILE --label price --task regression
 * --wait} trains and blesses by RMSE, {@code ./mlops predict} answers values; traffic through the API with numeric
 * feedback, then the scheduled drift check (Lambda Invoke): live RMSE within the test RMSE's {@code max_rise} is
 * OK; when the sizes sent are doubled (a unit mistake upstream) the predictions shift, live quality is DEGRADED and
 * the predicted values drifted.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class RegressionLoopIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "prices-it";
    private static final int REQUESTS = 150;

    @Test
    void aRegression_shouldTrainBlessAndServeValues_andNumericFeedbackShowsADegradedLiveQualityWhenShifted(
            LocalEnvironment env, @TempDir Path files) throws Exception {
        // GIVEN every tenth row of the diamonds sample (1,000 rows), one CART a run, no retraining on a verdict
        ObjectStore store = new S3ObjectStore(env.clients().s3(), env.model().bucket().name());
        store.putJson(Layout.config(MODEL), Map.of("training", Map.of("families", List.of("cart")),
                "drift", Map.of("retraining", Map.of("enabled", false))));
        List<String> lines = Files.readAllLines(Repo.file("data/diamonds.csv"));
        List<String[]> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i += 10) {
            csv.append(lines.get(i)).append('\n');
            rows.add(lines.get(i).split(","));
        }
        Path file = Files.writeString(files.resolve("prices.csv"), csv);

        // WHEN it is uploaded as a regression, waiting for the pipeline
        Cli upload = mlops(env, "upload", file.toString(), "--dataset", MODEL, "--label", "price", "--task",
                "regression", "--wait", "--json");

        // THEN it was trained and blessed as a regression, by RMSE
        assertThat(upload.code).as(upload.out + upload.err).isZero();
        JsonNode uploaded = Json.tree(upload.out.getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.path("run_status").asText()).as(upload.out).isEqualTo("SUCCEEDED");
        JsonNode version = Json.tree(store.find(Layout.modelPrefix(MODEL, uploaded.path("version").asInt())
                + "model-card.json").orElseThrow().bytes());
        assertThat(version.toString()).contains("\"rmse\"").contains("regression");

        // AND ./mlops predict answers values
        Path instances = Files.writeString(files.resolve("instances.json"), "[" + instance(rows.get(0), 1.0) + ","
                + instance(rows.get(1), 1.0) + "]");
        Cli predict = mlops(env, "predict", MODEL, "--instances", instances.toString());
        assertThat(predict.code).as(predict.out + predict.err).isZero();
        JsonNode answer = Json.tree(predict.out.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.path("predictions")).hasSize(2).allSatisfy(p -> {
            assertThat(p.path("value").isNumber()).as(p.toString()).isTrue();
            assertThat(p.has("label")).isFalse();
        });

        // GIVEN real rows through the API with their true prices as feedback
        trafficWithTruth(env, store, rows, 1.0);
        // WHEN the drift schedule fires
        JsonNode healthy = check(env);
        // THEN live RMSE is within max_rise of the test RMSE
        JsonNode healthyQuality = report(store, healthy).path("quality");
        assertThat(healthy.path("quality").asText()).as(healthyQuality.toString()).isEqualTo("OK");
        assertThat(healthyQuality.path("labelled").asInt()).isEqualTo(REQUESTS);
        assertThat(healthyQuality.path("metric").asText()).isEqualTo("rmse");

        // GIVEN the same rows with carat and sizes doubled, and their true prices
        trafficWithTruth(env, store, rows, 2.0);
        // WHEN the schedule fires again
        JsonNode shifted = check(env);
        // THEN live RMSE rose past test RMSE × (1 + max_rise): DEGRADED; and the predicted values drifted
        JsonNode report = report(store, shifted);
        assertThat(shifted.path("quality").asText()).as(report.path("quality").toString()).isEqualTo("DEGRADED");
        assertThat(report.path("quality").path("rmse").asDouble())
                .isGreaterThan(1.2 * report.path("quality").path("test_rmse").asDouble());
        assertThat(report.path("drift").path("prediction").path("verdict").asText()).isEqualTo("DRIFTED");
        assertThat(shifted.path("retraining").path("status").asText()).isEqualTo("DISABLED");
    }

    /** One row as an instance, carat and the sizes x, y, z multiplied by {@code scale}. */
    private static String instance(String[] c, double scale) {
        return String.format(Locale.ROOT, "{\"carat\": %s, \"cut\": \"%s\", \"color\": \"%s\", \"clarity\": \"%s\","
                        + " \"depth\": %s, \"table\": %s, \"x\": %s, \"y\": %s, \"z\": %s}", Double.parseDouble(c[0]) * scale,
                c[1], c[2], c[3], c[4], c[5], Double.parseDouble(c[7]) * scale, Double.parseDouble(c[8]) * scale,
                Double.parseDouble(c[9]) * scale);
    }

    /** {@value #REQUESTS} requests of one row each, then their true prices in one feedback call; waits for capture. */
    private static void trafficWithTruth(LocalEnvironment env, ObjectStore store, List<String[]> rows, double scale)
            throws Exception {
        List<Map<String, Object>> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String[] c = rows.get((i * 7) % rows.size());
            HttpResponse<String> r = post(env, "/v1/models/" + MODEL + ":predict",
                    "{\"instances\": [" + instance(c, scale) + "]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String id = Json.MAPPER.readTree(r.body()).path("request_id").asText();
            ids.add(id);
            labels.add(Map.of("request_id", id, "label", Double.parseDouble(c[6])));
        }
        HttpResponse<String> r = post(env, "/v1/models/" + MODEL + ":feedback", Json.string(Map.of("feedback", labels)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).path("accepted").asInt()).isEqualTo(REQUESTS);
        awaitCaptured(env, store, ids);
    }

    /** Waits until every request is in a written capture batch, and the check's settle time has passed. */
    private static void awaitCaptured(LocalEnvironment env, ObjectStore store, List<String> ids)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            StringBuilder all = new StringBuilder();
            for (ObjectStore.ObjectInfo o : store.list(Layout.capturePrefix(MODEL), null)) {
                try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                        store.find(o.key()).orElseThrow().bytes()))) {
                    all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            if (ids.stream().allMatch(id -> all.indexOf("\"request_id\":\"" + id + "\"") >= 0)) {
                long settle = Long.parseLong(env.model().function("DriftCheckFunction").environment()
                        .getOrDefault("CAPTURE_SETTLE_SECONDS", "5"));
                Thread.sleep((settle + 1) * 1_000);
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("captures not written within 60 s");
    }

    private static JsonNode report(ObjectStore store, JsonNode check) {
        return Json.tree(store.find(check.path("report_key").asText()).orElseThrow().bytes());
    }

    private static JsonNode check(LocalEnvironment env) throws Exception {
        byte[] event = Events.scheduled(env.model().schedules().get(0), Map.of("model", MODEL));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.info().lambdaUrl()
                        + "/2015-03-31/functions/" + env.model().function("DriftCheckFunction").name() + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(response.body()).isEmpty();
        return Json.MAPPER.readTree(response.body()).path("checks").get(0);
    }

    private static HttpResponse<String> post(LocalEnvironment env, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(env.info().apiUrl() + path))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private record Cli(int code, String out, String err) {
    }

    private static Cli mlops(LocalEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home=" + env.home());
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
