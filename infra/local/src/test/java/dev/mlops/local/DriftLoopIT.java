package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop on the emulators, from the outside: a model in production, shifted traffic through the API, ground
 * truth through {@code :feedback}, the scheduled check (Lambda Invoke) → DRIFTED → one retraining, through the
 * retraining upload, ingest and the state machine, whose run names its cause and ends with a blessing verdict;
 * a second drifted check inside the cool-down starts nothing.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class DriftLoopIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "loop-it";

    @Test
    void shiftedTraffic_shouldDrift_retrainOnceWithItsCause_throughBlessing_andNotAgainInsideTheCoolDown(
            LocalEnvironment env) throws Exception {
        StackPorts stack = new StackPorts(env);
        // GIVEN iris in production
        byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        stack.put("incoming/" + MODEL + "/iris.csv", iris, Map.of());
        assertThat(stack.awaitRun(MODEL, Sha256.hex(iris)).status()).isEqualTo(RunStatus.SUCCEEDED);
        // AND 150 requests of real rows whose petals grew (+2.5 cm long, +1 cm wide), with their true labels
        List<String> lines = Files.readAllLines(Repo.file("data/iris.csv"));
        List<String> ids = sendShifted(env, lines);
        feedback(env, ids, lines);
        stack.awaitCaptured(MODEL, ids);

        // WHEN the drift schedule fires for the model
        JsonNode first = check(env);

        // THEN it drifted, and asked for one retraining: the latest data plus the 150 labelled rows, as an upload
        assertThat(first.path("verdict").asText()).isEqualTo("DRIFTED");
        assertThat(first.path("drifted_features")).extracting(JsonNode::asText).contains("petal_length_cm");
        JsonNode retraining = first.path("retraining");
        assertThat(retraining.path("status").asText()).isEqualTo("REQUESTED");
        assertThat(retraining.path("labelled_rows").asLong()).isEqualTo(150);
        String runId = retraining.path("run_id").asText();
        // AND ingest validated that upload, and the pipeline ran it: the run names the check as its cause
        Run run = stack.awaitRun(runId);
        assertThat(run.request().cause()).satisfies(c -> {
            assertThat(c.checkId()).isEqualTo(first.path("check_id").asText());
            assertThat(c.verdict()).startsWith("DRIFTED");
        });
        assertThat(run.status()).isIn(RunStatus.SUCCEEDED, RunStatus.NOT_BLESSED);
        assertThat(stack.registry().find(MODEL, run.version()).orElseThrow().blessing().reason()).contains("accuracy");
        assertThat(stack.datasets().find(MODEL, retraining.path("dataset_version").asText()).orElseThrow().rows())
                .isEqualTo(300);

        // WHEN more shifted traffic comes, labelled too, and the next check runs inside the cool-down
        List<String> more = sendShifted(env, lines);
        feedback(env, more, lines);
        stack.awaitCaptured(MODEL, more);
        JsonNode second = check(env);

        // THEN it drifted too, and started nothing: two executions in all, the upload's and the retraining's
        assertThat(second.path("verdict").asText()).isEqualTo("DRIFTED");
        assertThat(second.path("retraining").path("status").asText()).isEqualTo("COOL_DOWN");
        assertThat(second.path("retraining").path("reason").asText()).contains(first.path("check_id").asText());
        List<String> executions = new ArrayList<>();
        for (ExecutionListItem e : env.clients().stepFunctions().listExecutions(b -> b.stateMachineArn(
                env.model().stateMachines().get(0).arn())).executions()) {
            if (e.name().startsWith(MODEL + "-")) {
                executions.add(e.name());
            }
        }
        assertThat(executions).containsExactlyInAnyOrder(run.runId(), dev.mlops.core.pipeline.RunRequest.runIdFor(MODEL,
                Sha256.hex(iris)));
    }

    private static List<String> sendShifted(LocalEnvironment env, List<String> lines) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            String[] c = lines.get(i).split(",");
            String body = "{\"instances\": [{\"sepal_length_cm\": " + c[0] + ", \"sepal_width_cm\": " + c[1]
                    + ", \"petal_length_cm\": " + (Double.parseDouble(c[2]) + 2.5) + ", \"petal_width_cm\": "
                    + (Double.parseDouble(c[3]) + 1.0) + "}]}";
            HttpResponse<String> r = post(env, "/v1/models/" + MODEL + ":predict", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ids.add(Json.MAPPER.readTree(r.body()).path("request_id").asText());
        }
        return ids;
    }

    private static void feedback(LocalEnvironment env, List<String> ids, List<String> lines) throws Exception {
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String[] c = lines.get(i + 1).split(",");
            labels.add(Map.of("request_id", ids.get(i), "label", c[c.length - 1]));
        }
        HttpResponse<String> r = post(env, "/v1/models/" + MODEL + ":feedback", Json.string(Map.of("feedback", labels)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).path("accepted").asInt()).isEqualTo(150);
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
}
