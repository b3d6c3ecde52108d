package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.local.LocalEnvironmentExtension;
import dev.mlops.local.Repo;
import dev.mlops.local.StackPorts;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.runtime.LocalEnvironment;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollouts on the emulators, from the outside: requests through the HTTP API (the routing key in {@code
 * X-Request-Key}), captures in S3, the registry on dynalite, the drift check through Lambda Invoke, people through
 * {@code ./mlops models rollout}.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class RolloutIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> iris;

    RolloutIT() throws Exception {
        iris = Files.readAllLines(Repo.file("data/iris.csv"));
    }

    @Test
    void canaryAtTenPercent_shouldHoldItsShare_oneVersionPerKey_andShadowCallersShouldOnlySeeProduction(
            LocalEnvironment env) throws Exception {
        String model = "canary-it";
        StackPorts stack = new StackPorts(env);
        // GIVEN v1 in production, v2 registered beside it (a blessing that demands a win by 0.5 keeps it out)
        Map<String, Object> training = Map.of("families", List.of("logistic-regression"));
        stack.store().putJson(Layout.config(model), Map.of("training", training));
        byte[] v1 = csv(model, (i, l) -> l).getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/" + model + "/iris.csv", v1, Map.of());
        assertThat(stack.awaitRun(model, Sha256.hex(v1)).status()).isEqualTo(RunStatus.SUCCEEDED);
        stack.store().putJson(Layout.config(model), Map.of("training", training, "blessing", Map.of("margin", -0.5)));
        byte[] v2 = csv(model, (i, l) -> i > 140 ? null : l).getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/" + model + "/iris-v2.csv", v2, Map.of());
        assertThat(stack.awaitRun(model, Sha256.hex(v2)).status()).isEqualTo(RunStatus.NOT_BLESSED);
        // AND production's answer to every row, pinned to v1 (outside any rollout)
        Map<Integer, JsonNode> production = new HashMap<>();
        for (int row = 1; row <= 150; row++) {
            production.put(row, predict(env, model, row, null, "?version=1").path("predictions"));
        }

        // WHEN a canary of v2 at 10 % starts, and 2,000 callers ask once each
        assertThat(mlops(env, "models", "rollout", "start", model, "2", "--strategy", "canary", "--share", "0.1",
                "--force", "--reason", "canary test").code()).isZero();
        Map<String, Integer> versionOf = new HashMap<>();
        int challenger = 0;
        for (int i = 0; i < 2000; i++) {
            int row = 1 + i % 150;
            JsonNode answer = predict(env, model, row, "caller-" + i, "");
            int version = answer.path("model_version").asInt();
            versionOf.put("caller-" + i, version);
            challenger += version == 2 ? 1 : 0;
            if (version == 1) {
                assertThat(answer.path("predictions")).as("production's answer").isEqualTo(production.get(row));
            }
        }
        // THEN the challenger's share is within the binomial 99 % interval of 10 %
        BinomialDistribution b = BinomialDistribution.of(2000, 0.1);
        assertThat(challenger).isBetween(b.inverseCumulativeProbability(0.005), b.inverseCumulativeProbability(0.995));
        // AND the same key always gets the same version
        for (int i = 0; i < 200; i++) {
            assertThat(predict(env, model, 1 + (i * 7) % 150, "caller-" + i, "").path("model_version").asInt())
                    .isEqualTo(versionOf.get("caller-" + i));
        }

        // WHEN it is aborted for a shadow of v2 on every request, and 100 callers ask
        assertThat(mlops(env, "models", "rollout", "abort", model, "--reason", "shadow next").code()).isZero();
        assertThat(mlops(env, "models", "rollout", "start", model, "2", "--strategy", "shadow", "--share", "1",
                "--force", "--reason", "shadow test").code()).isZero();
        // (the inference function hears the events at once; one that missed them re-reads within 2 s)
        Thread.sleep(2_500);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            JsonNode answer = predict(env, model, 1 + i, "shadow-" + i, "");
            // THEN callers only ever see production
            assertThat(answer.path("model_version").asInt()).isEqualTo(1);
            ids.add(answer.path("request_id").asText());
        }
        // AND their captures hold production's answer and v2's, each with its version
        stack.awaitCaptured(model, ids);
        List<JsonNode> captured = shadowed(stack, model, ids);
        assertThat(captured).hasSize(100).allSatisfy(r -> {
            assertThat(r.path("model_version").asInt()).isEqualTo(1);
            assertThat(r.path("predictions")).hasSize(1);
            assertThat(r.path("shadow").path("model_version").asInt()).isEqualTo(2);
            assertThat(r.path("shadow").path("predictions")).hasSize(1);
        });
    }

    @Test
    void aWholeRolloutWithFeedback_shouldPromoteABetterChallenger_andAbortAWorseOneAtTheNextCheck(
            LocalEnvironment env) throws Exception {
        String model = "rollout-it";
        StackPorts stack = new StackPorts(env);
        stack.store().putJson(Layout.config(model), Map.of("training", Map.of("families",
                List.of("logistic-regression"))));
        // GIVEN production v1 trained with a third of its versicolor labelled virginica, and a canary policy
        byte[] damaged = csv(model, (i, l) -> l.equals("versicolor") && i % 3 == 0 ? "virginica" : l)
                .getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/" + model + "/damaged.csv", damaged, Map.of());
        assertThat(stack.awaitRun(model, Sha256.hex(damaged)).status()).isEqualTo(RunStatus.SUCCEEDED);
        stack.store().putJson(Layout.config(model), Map.of("training", Map.of("families",
                List.of("logistic-regression")), "rollout", Map.of("strategy", "canary", "steps", List.of(0.1, 0.5),
                "step_minutes", 0, "min_requests", 50, "min_labels", 30, "margin", 0.02,
                "guardrail", Map.of("min_labels", 20, "max_drop", 0.05))));
        // WHEN clean iris comes: v2 is blessed and goes live as a canary at 10 %
        byte[] clean = csv(model, (i, l) -> l).getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/" + model + "/clean.csv", clean, Map.of());
        assertThat(stack.awaitRun(model, Sha256.hex(clean)).status()).isEqualTo(RunStatus.ROLLOUT_STARTED);

        // WHEN 1,000 callers ask, their labels come back and the drift check runs: it steps up to 50 %
        traffic(env, stack, model, 1000, 0);
        JsonNode step = check(env, model);
        assertThat(step.path("decision").asText()).as(step.toString()).isEqualTo("STEP_UP");
        assertThat(stack.registry().rollout(model).orElseThrow().share()).isEqualTo(0.5);
        // AND after 400 more, the next check promotes v2 through the registry
        traffic(env, stack, model, 400, 1000);
        JsonNode promote = check(env, model);
        assertThat(promote.path("decision").asText()).as(promote.toString()).isEqualTo("PROMOTE");
        assertThat(stack.registry().alias(model, "production")).contains(2);

        // GIVEN v3, trained on labels all shifted by one class: blessed on its own test rows, live as a canary
        byte[] shifted = csv(model, (i, l) -> switch (l) {
            case "setosa" -> "versicolor";
            case "versicolor" -> "virginica";
            default -> "setosa";
        }).getBytes(StandardCharsets.UTF_8);
        stack.put("incoming/" + model + "/shifted.csv", shifted, Map.of());
        assertThat(stack.awaitRun(model, Sha256.hex(shifted)).status()).isEqualTo(RunStatus.ROLLOUT_STARTED);
        // WHEN its callers' true labels come back and the check runs
        assertThat(traffic(env, stack, model, 400, 1400)).contains(3);
        JsonNode abort = check(env, model);
        // THEN the guardrail aborts it, and every request is production's again
        assertThat(abort.path("decision").asText()).as(abort.toString()).isEqualTo("ABORT");
        assertThat(abort.path("reason").asText()).startsWith("guardrail:");
        assertThat(stack.registry().rollout(model).orElseThrow().status()).isEqualTo(Rollout.Status.ABORTED);
        Thread.sleep(2_500); // an instance that missed the event re-reads the rollout within 2 s
        for (int i = 0; i < 100; i++) {
            assertThat(predict(env, model, 1 + i, "caller-" + i, "").path("model_version").asInt()).isEqualTo(2);
        }
        // AND each step was audited and announced on the registry's bus
        assertThat(stack.registry().auditTrail(model).stream().map(AuditEntry::action)
                .filter(a -> a.startsWith("rollout") || a.equals("promote")).toList())
                .containsExactly("promote", "rollout_start", "rollout_step", "promote", "rollout_start",
                        "rollout_abort");
        Cli events = mlops(env, "events", "tail", "--model", model, "--limit", "100");
        assertThat(events.code()).isZero();
        assertThat(events.json()).extracting(e -> e.path("detail-type").asText())
                .contains("Model Rollout Started", "Model Rollout Stepped", "Model Rollout Promoted",
                        "Model Rollout Aborted");
    }

    /** Iris with every row's label replaced by {@code relabel(row number, label)} (null: the row left out). */
    private String csv(String model, BiFunction<Integer, String, String> relabel) {
        StringBuilder csv = new StringBuilder(iris.get(0)).append('\n');
        for (int i = 1; i < iris.size(); i++) {
            int comma = iris.get(i).lastIndexOf(',');
            String label = relabel.apply(i, iris.get(i).substring(comma + 1));
            if (label != null) {
                csv.append(iris.get(i), 0, comma + 1).append(label).append('\n');
            }
        }
        return csv.toString();
    }

    /** {@code n} callers ask once each and their true labels come back; the versions that answered. */
    private List<Integer> traffic(LocalEnvironment env, StackPorts stack, String model, int n, int first)
            throws Exception {
        List<Integer> versions = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            int row = 1 + (i * 37) % 150;
            JsonNode answer = predict(env, model, row, "caller-" + i, "");
            versions.add(answer.path("model_version").asInt());
            ids.add(answer.path("request_id").asText());
            String line = iris.get(row);
            labels.add(Map.of("request_id", ids.get(ids.size() - 1), "label", line.substring(line.lastIndexOf(',') + 1)));
        }
        HttpResponse<String> r = post(env, "/v1/models/" + model + ":feedback", Json.string(Map.of("feedback", labels)),
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        stack.awaitCaptured(model, ids);
        return versions;
    }

    private JsonNode predict(LocalEnvironment env, String model, int row, String key, String query) throws Exception {
        String[] c = iris.get(row).split(",");
        String body = "{\"instances\": [{\"sepal_length_cm\": " + c[0] + ", \"sepal_width_cm\": " + c[1]
                + ", \"petal_length_cm\": " + c[2] + ", \"petal_width_cm\": " + c[3] + "}]}";
        HttpResponse<String> r = post(env, "/v1/models/" + model + ":predict" + (query == null ? "" : query), body, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static HttpResponse<String> post(LocalEnvironment env, String path, String body, String key)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(env.info().apiUrl() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Request-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The captured requests with these ids. */
    private static List<JsonNode> shadowed(StackPorts stack, String model, List<String> ids) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectStore store = stack.store();
        for (ObjectStore.ObjectInfo o : store.list(Layout.capturePrefix(model), null)) {
            byte[] bytes;
            try (var in = new GZIPInputStream(store.open(o.key(), null).orElseThrow())) {
                bytes = in.readAllBytes();
            }
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode r = Json.MAPPER.readTree(line);
                    if (ids.contains(r.path("request_id").asText())) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /** The drift check for one model through Lambda Invoke, as the schedule fires it: its rollout decision. */
    private static JsonNode check(LocalEnvironment env, String model) throws Exception {
        byte[] event = Events.scheduled(env.model().schedules().get(0), Map.of("model", model));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.info().lambdaUrl()
                        + "/2015-03-31/functions/" + env.model().function("DriftCheckFunction").name() + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(response.body()).isEmpty();
        JsonNode checkSummary = Json.MAPPER.readTree(response.body()).path("checks").get(0);
        StackPorts stack = new StackPorts(env);
        return Json.tree(stack.store().find(checkSummary.path("report_key").asText()).orElseThrow().bytes())
                .path("rollout");
    }

    private record Cli(int code, String out) {
        JsonNode json() {
            return Json.tree(out.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Cli mlops(LocalEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        all.add("--home=" + env.home());
        return new Cli(commandLine.execute(all.toArray(String[]::new)), out.toString());
    }
}
