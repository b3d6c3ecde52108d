package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.domain.DatasetStatus;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.Json;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.runtime.LocalEnvironment;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The lifecycle on the local stack, driven only from the outside as a user would: objects put in S3,
 * HTTP requests to the API, functions invoked through the Lambda Invoke API, state machine executions
 * started through Step Functions. Every dataset uses its own name, so tests do not depend on order.
 */
@ExtendWith(LocalEnvironmentExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleIT {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalEnvironment env;
    private byte[] iris;
    private Run irisRun;
    private StackPorts stack;

    @BeforeAll
    void trainIris(LocalEnvironment environment) throws Exception {
        this.env = environment;
        this.stack = new StackPorts(environment);
        this.iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        put("incoming/iris-it/iris.csv", iris, Map.of());
        this.irisRun = awaitRun("iris-it", Sha256.hex(iris));
    }

    // ------------------------------------------------------------------ the happy path

    @Test
    void upload_shouldTrainRegisterPromoteAndServeTheModel() throws Exception {
        // THEN the run ended with version 1 in production
        assertThat(irisRun.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(irisRun.productionVersion()).isEqualTo(1);
        assertThat(registry().find("iris-it", 1)).hasValueSatisfying(v -> {
            assertThat(v.blessed()).isTrue();
            assertThat(v.training().accuracy()).isGreaterThan(0.85);
            assertThat(v.lineage().datasetVersion()).isEqualTo(Sha256.hex(iris));
        });
        assertThat(keys("models/iris-it/1/")).contains("models/iris-it/1/model.tribuo", "models/iris-it/1/model-card.json",
                "models/iris-it/1/metrics.json", "models/iris-it/1/signature.json");

        // WHEN three real rows are sent to the API
        HttpResponse<String> response = post("/v1/models/iris-it:predict", """
                {"instances": [
                  {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2},
                  {"sepal_length_cm": 6.4, "sepal_width_cm": 3.2, "petal_length_cm": 4.5, "petal_width_cm": 1.5},
                  {"sepal_length_cm": "6.3", "sepal_width_cm": 3.3, "petal_length_cm": 6.0, "petal_width_cm": 2.5}]}""");

        // THEN each gets the label of its row in iris.csv (rows 1, 52, 101) and a probability per class
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("model_version").asInt()).isEqualTo(1);
        assertThat(body.path("request_id").asText()).isNotBlank();
        assertThat(body.path("predictions")).extracting(p -> p.path("label").asText())
                .containsExactly("setosa", "versicolor", "virginica");
        for (JsonNode p : body.path("predictions")) {
            double sum = 0;
            for (JsonNode s : p.path("scores")) {
                sum += s.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
            assertThat(p.path("scores").size()).isEqualTo(3);
        }
        // AND the request was captured for drift checks (in a batch the background writer wrote soon after)
        stack.awaitCaptured("iris-it", List.of(body.path("request_id").asText()));
        assertThat(keys("capture/iris-it/")).allSatisfy(k -> assertThat(k).matches(
                "capture/iris-it/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/\\d{8}T\\d{9}Z-[0-9a-f]{8}-\\d{6}\\.jsonl\\.gz"));
    }

    @Test
    void describe_shouldListVersionsAndProduction() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api("/v1/models/iris-it")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("production_version").asInt()).isEqualTo(1);
        assertThat(body.path("model_version_status").get(0).path("blessed").asBoolean()).isTrue();
    }

    @Test
    void driftCheck_shouldCompareCapturedTrafficWithTheTrainingBaselineAndWriteAReport() throws Exception {
        // GIVEN 120 captured rows whose petal lengths are far outside anything in training
        StringBuilder instances = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            instances.append(i == 0 ? "" : ",").append("{\"sepal_length_cm\": 5.8, \"sepal_width_cm\": 3.0, ")
                    .append("\"petal_length_cm\": ").append(20 + i % 5).append(", \"petal_width_cm\": 1.3}");
        }
        HttpResponse<String> posted = post("/v1/models/iris-it:predict", "{\"instances\": [" + instances + "]}");
        assertThat(posted.statusCode()).isEqualTo(200);
        String requestId = JSON.readTree(posted.body()).path("request_id").asText();
        stack.awaitCaptured("iris-it", List.of(requestId));
        // WHEN the schedule fires for this model
        JsonNode result = invoke("DriftCheckFunction", Events.scheduled(env.model().schedules().get(0), Map.of("model", "iris-it")));
        // THEN petal length drifted, and the report is in S3 where the summary says
        JsonNode check = result.path("checks").get(0);
        assertThat(check.path("drift_detected").asBoolean()).isTrue();
        assertThat(check.path("verdict").asText()).isEqualTo("DRIFTED");
        assertThat(check.path("drifted_features")).extracting(JsonNode::asText).contains("petal_length_cm");
        JsonNode report = JSON.readTree(env.clients().s3().getObjectAsBytes(b -> b.bucket(bucket())
                .key(check.path("report_key").asText())).asByteArray());
        assertThat(report.path("drift").path("columns").path("petal_length_cm").path("verdict").asText())
                .isEqualTo("DRIFTED");
        assertThat(report.path("baseline").asText()).endsWith("profile.json");
        assertThat(env.clients().s3().getObjectAsBytes(b -> b.bucket(bucket()).key(check.path("report_html_key")
                .asText())).asUtf8String()).startsWith("<!DOCTYPE html>").contains("petal_length_cm");
        // AND the next check reads only what was captured after this one
        JsonNode next = invoke("DriftCheckFunction", Events.scheduled(env.model().schedules().get(0), Map.of("model", "iris-it")))
                .path("checks").get(0);
        assertThat(next.path("window_start").asText()).isEqualTo(check.path("window_end").asText());
        assertThat(next.path("samples").asInt()).isZero();
        assertThat(next.path("drift_detected").asBoolean()).isFalse();
        assertThat(next.path("verdict").asText()).isEqualTo("NOT_ENOUGH_DATA");
    }

    // ------------------------------------------------------------------ at-least-once events and odd keys

    @Test
    void redeliveredUploadEvent_shouldNotStartASecondRun() throws Exception {
        // WHEN the upload's event arrives again (S3 delivers at least once)
        byte[] event = Events.s3ObjectCreated("IngestValidationFunction-S3", bucket(), "incoming/iris-it/iris.csv",
                iris.length, "etag", null, 1);
        JsonNode outcome = invoke("IngestValidationFunction", event).get(0);
        // THEN it is recognised as the same upload: the same outcome, and nothing new is started or registered
        assertThat(outcome.path("status").asText()).isEqualTo("VALID");
        assertThat(outcome.path("run_id").asText()).isEqualTo(RunRequest.runIdFor("iris-it", Sha256.hex(iris)));
        assertThat(registry().versions("iris-it")).hasSize(1);
        assertThat(runs().find(RunRequest.retryRunId(outcome.path("run_id").asText(), 2))).isEmpty();
    }

    @Test
    void keyWithSpacesAndParentheses_shouldArriveUrlEncodedAndBeDecoded() throws Exception {
        byte[] wine = Files.readAllBytes(Repo.file("data/wine.csv"));
        put("incoming/wine-it/wine data (1).csv", wine, Map.of());
        Run run = awaitRun("wine-it", Sha256.hex(wine));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(datasets().find("wine-it", Sha256.hex(wine)).orElseThrow().sourceKey())
                .isEqualTo("incoming/wine-it/wine data (1).csv");
    }

    @Test
    void worseChallenger_shouldBeRegisteredNotBlessed_andProductionShouldStay() throws Exception {
        // GIVEN a champion trained on wine
        byte[] wine = Files.readAllBytes(Repo.file("data/wine.csv"));
        put("incoming/champion-it/wine.csv", wine, Map.of());
        assertThat(awaitRun("champion-it", Sha256.hex(wine)).productionVersion()).isEqualTo(1);
        // WHEN the same rows arrive with the training rows mislabelled
        List<String> lines = Files.readAllLines(Repo.file("data/wine.csv"));
        byte[] challenger = Datasets.corruptTrainingLabels(Files.readString(Repo.file("data/wine.csv")), "label")
                .getBytes(StandardCharsets.UTF_8);
        put("incoming/champion-it/wine-noisy.csv", challenger, Map.of());
        Run run = awaitRun("champion-it", Sha256.hex(challenger));
        // THEN version 2 is registered, NOT_BLESSED with both scores, and version 1 keeps serving
        assertThat(run.status()).isEqualTo(RunStatus.NOT_BLESSED);
        assertThat(run.version()).isEqualTo(2);
        assertThat(run.productionVersion()).isEqualTo(1);
        assertThat(run.reason()).contains("vs champion v1").contains("rows neither model trained on");
        assertThat(registry().find("champion-it", 2)).hasValueSatisfying(v -> assertThat(v.blessed()).isFalse());
        assertThat(registry().alias("champion-it", "production")).contains(1);
        String[] names = lines.get(0).split(",");
        String[] firstRow = lines.get(1).split(",");
        StringBuilder instance = new StringBuilder("{");
        for (int i = 0; i < names.length - 1; i++) {
            instance.append(i == 0 ? "" : ",").append('"').append(names[i]).append("\": ").append(firstRow[i]);
        }
        HttpResponse<String> response = post("/v1/models/champion-it:predict", "{\"instances\": [" + instance + "}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("model_version").asInt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ bad data

    @Test
    void malformedCsv_shouldBeRejectedWithAReportAndStartNothing() throws Exception {
        byte[] ragged = "a,b,label\n1,2,x\n3,4\n".getBytes(StandardCharsets.UTF_8);
        put("incoming/ragged-it/bad.csv", ragged, Map.of());
        DatasetVersion v = stack.awaitDataset("ragged-it", Sha256.hex(ragged));
        assertThat(v.status()).isEqualTo(DatasetStatus.INVALID);
        JsonNode report = JSON.readTree(env.clients().s3().getObjectAsBytes(b -> b.bucket(bucket()).key(v.reportKey())).asByteArray());
        assertThat(report.path("valid").asBoolean()).isFalse();
        JsonNode raggedRow = report.path("anomalies").findParents("kind").stream()
                .filter(a -> a.path("kind").asText().equals("RAGGED_ROW")).findFirst().orElseThrow();
        assertThat(raggedRow.path("severity").asText()).isEqualTo("ERROR");
        assertThat(raggedRow.path("examples").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(raggedRow.path("message").asText()).contains("line 3");
        assertThat(runs().find(RunRequest.runIdFor("ragged-it", Sha256.hex(ragged)))).isEmpty();
    }

    @Test
    void labelColumn_shouldDefaultToLabel_andBeConfigurableByObjectMetadata() throws Exception {
        byte[] pima = Files.readAllBytes(Repo.file("data/pima.csv"));
        // WHEN pima (label column "diabetes") is uploaded without saying so
        put("incoming/pima-nolabel-it/pima.csv", pima, Map.of());
        DatasetVersion rejected = stack.awaitDataset("pima-nolabel-it", Sha256.hex(pima));
        // THEN it is rejected, naming the missing label column
        assertThat(rejected.status()).isEqualTo(DatasetStatus.INVALID);
        JsonNode report = JSON.readTree(env.clients().s3().getObjectAsBytes(b -> b.bucket(bucket()).key(rejected.reportKey())).asByteArray());
        assertThat(report.path("anomalies").get(0).path("message").asText()).contains("label column \"label\"");
        // WHEN it is uploaded with label=diabetes as object metadata
        put("incoming/pima-it/pima.csv", pima, Map.of("label", "diabetes"));
        // THEN it trains, missing values (NA) and all
        assertThat(awaitRun("pima-it", Sha256.hex(pima)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    // ------------------------------------------------------------------ bad requests

    @Test
    void predict_shouldAnswerEveryBadRequestWithAStatusAndAReason() throws Exception {
        assertError(post("/v1/models/iris-it:predict", "{not json"), 400, "not valid JSON");
        assertError(post("/v1/models/iris-it:predict", "{\"rows\": []}"), 400, "unknown field \"rows\"");
        assertError(post("/v1/models/iris-it:predict", "{\"instances\": {}}"), 400, "\"instances\" must be an array");
        assertError(post("/v1/models/iris-it:predict", "{\"instances\": []}"), 400, "instances");
        assertError(post("/v1/models/iris-it:predict", "{\"instances\": [{\"sepal_length_cm\": \"abc\"}]}"), 400,
                "instances[0].sepal_length_cm");
        assertError(post("/v1/models/iris-it:predict", "{\"instances\": [{\"colour\": \"red\"}]}"), 400, "colour");
        assertError(post("/v1/models/no-such-model:predict", "{\"instances\": [{\"x\": 1}]}"), 404, "does not exist");
        assertError(post("/v1/models/iris-it:explain", "{\"instances\": []}"), 400, "instances");
        assertError(post("/v1/models/iris-it:classify", "{\"instances\": []}"), 404, "unknown route");
        assertError(post("/v1/models/..%2F..%2Fetc:predict", "{\"instances\": []}"), 400, "invalid model name");
        String big = "{\"instances\": [" + "{\"sepal_length_cm\": 5.1},".repeat(60_000) + "{}]}";
        assertError(post("/v1/models/iris-it:predict", big), 413, "limit");
    }

    // ------------------------------------------------------------------ failures inside the pipeline

    @Test
    void failingTask_shouldFailTheExecutionWithItsCause_andRecordTheRun() throws Exception {
        // GIVEN an execution whose source object does not exist
        String runId = "ghost-" + Long.toHexString(System.nanoTime());
        String input = """
                {"run_id": "%s", "dataset": "ghost", "dataset_version": "0000", "model": "ghost", "label": "label",
                 "source": {"bucket": "%s", "key": "incoming/ghost/none.csv", "sha256": "0000"},
                 "candidates": [{"algorithm": "logistic-regression", "seed": 42,
                   "split": {"scheme": "row-hash-v1", "seed": 42, "test_fraction": 0.3, "validation_fraction": 0.0},
                   "hyper_parameters": {}}]}
                """.formatted(runId, bucket());
        String machine = env.model().stateMachines().get(0).arn();
        // WHEN it runs
        runs().start(Run.started(Json.read(input, RunRequest.class), "arn", 1, null, java.time.Instant.now()));
        String arn = env.clients().stepFunctions().startExecution(b -> b.stateMachineArn(machine).name(runId).input(input)).executionArn();
        DescribeExecutionResponse execution = Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> env.clients().stepFunctions().describeExecution(b -> b.executionArn(arn)),
                        e -> e.status() != ExecutionStatus.RUNNING);
        // THEN the execution failed with the task's stable error name, the run says why, and nothing was registered
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("dev.mlops.core.errors.IntegrityException");
        assertThat(execution.cause()).contains("incoming/ghost/none.csv").contains("no longer exists");
        assertThat(runs().find(runId)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.error()).isEqualTo(execution.error());
        });
        assertThat(registry().versions("ghost")).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static void assertError(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("error") ? body.path("error").asText() : body.path("message").asText()).contains(reason);
    }

    private String bucket() {
        return env.model().bucket().name();
    }

    private String table(String logicalId) {
        return env.model().tableName(logicalId);
    }

    private DatasetCatalog datasets() {
        return stack.datasets();
    }

    private RunLog runs() {
        return stack.runs();
    }

    private ModelRegistry registry() {
        return stack.registry();
    }

    private void put(String key, byte[] bytes, Map<String, String> metadata) {
        env.clients().s3().putObject(b -> b.bucket(bucket()).key(key).metadata(metadata), RequestBody.fromBytes(bytes));
    }

    private List<String> keys(String prefix) {
        return env.clients().s3().listObjectsV2(b -> b.bucket(bucket()).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    private Run awaitRun(String dataset, String version) {
        return stack.awaitRun(dataset, version);
    }

    private URI api(String path) {
        return URI.create(env.info().apiUrl() + path);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode invoke(String function, byte[] event) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.info().lambdaUrl()
                        + "/2015-03-31/functions/" + env.model().function(function).name() + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(response.body()).isEmpty();
        return JSON.readTree(response.body());
    }
}
