package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.contract.Fixtures;
import dev.mlops.core.registry.RegistryCommand;
import dev.mlops.core.testing.Datasets;
import dev.mlops.local.LocalEnvironmentExtension;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry's operations on the emulators, through the real functions and the command line:
 * concurrency (gap-free numbers, one winner among concurrent promotions, one audit entry), a
 * rollback by command served by the next prediction and visible in the history and as an event,
 * and the manual approval policy.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class RegistryOperationsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String IRIS_ROW = "{\"instances\":[{\"sepal_length_cm\":5.1,\"sepal_width_cm\":3.5,"
            + "\"petal_length_cm\":1.4,\"petal_width_cm\":0.2}]}";

    private final String iris = Datasets.read("iris");

    private static ModelRegistry registry(LocalEnvironment env) {
        return new DynamoModelRegistry(env.clients().dynamoDb(), env.model().tableName("ModelsTable"),
                env.model().tableName("AuditTable"), Clock.systemUTC());
    }

    /** Uploads a CSV as a user would and waits for its run to end. */
    private static Run upload(LocalEnvironment env, String dataset, String file, String csv) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        env.clients().s3().putObject(b -> b.bucket(env.model().bucket().name()).key("incoming/" + dataset + "/" + file),
                RequestBody.fromBytes(bytes));
        String runId = RunRequest.runIdFor(dataset, Sha256.hex(bytes));
        var runs = new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"), Clock.systemUTC());
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> runs.find(runId).orElse(null), r -> r != null && r.status().ended());
    }

    private static HttpResponse<String> predict(LocalEnvironment env, String model) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(env.info().apiUrl() + "/v1/models/" + model + ":predict"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(IRIS_ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int servedVersion(LocalEnvironment env, String model) throws Exception {
        HttpResponse<String> response = predict(env, model);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body().getBytes(StandardCharsets.UTF_8)).path("model_version").asInt();
    }

    /** Runs {@code ./mlops ARGS --json} in this JVM against the running environment; the exit code and stdout. */
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

    private static JsonNode invoke(LocalEnvironment env, Object operation) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.info().lambdaUrl()
                        + "/2015-03-31/functions/" + env.model().function("RegistryFunction").name() + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(operation))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(new String(response.body())).isEmpty();
        return Json.tree(response.body());
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void fiftyConcurrentRegistrationsOfOneModel_shouldGetFiftyDistinctGapFreeVersions(LocalEnvironment env)
            throws Exception {
        // GIVEN fifty registrations of one model at once, through the adapter the registry function uses
        ModelRegistry registry = registry(env);
        String model = Fixtures.unique("reg-it");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String run = "run-" + i;
                calls.add(() -> registry.register(Fixtures.version(model, run, null)).version());
            }
            // WHEN
            List<Integer> numbers = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                numbers.add(f.get());
            }
            // THEN 1..50, each once, and the registry holds exactly those
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
            assertThat(registry.versions(model)).extracting(ModelVersion::version)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twentyConcurrentPromotionsFromTheSameState_shouldHaveOneWinner_theOthersAConflict_andOneAuditEntry(
            LocalEnvironment env) throws Exception {
        // GIVEN v1 in production through the pipeline, and twenty more blessed versions of its artifact
        String model = "promote-race-it";
        assertThat(upload(env, model, "iris.csv", iris).status()).isEqualTo(RunStatus.SUCCEEDED);
        ModelRegistry registry = registry(env);
        ModelVersion v1 = registry.find(model, 1).orElseThrow();
        for (int i = 0; i < 20; i++) {
            registry.register(v1);
        }
        long movesBefore = registry.auditTrail(model).stream().filter(AuditEntry::movedProduction).count();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<JsonNode>> calls = new ArrayList<>();
            for (int v = 2; v <= 21; v++) {
                RegistryCommand.Promote promote = new RegistryCommand.Promote(model, v, 1, "it:promoter-" + v,
                        "race", false);
                calls.add(() -> invoke(env, promote));
            }
            // WHEN twenty people promote twenty versions at once, all from production v1, through the function
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            // THEN one winner, nineteen clear conflicts, production at the winner, one audit entry for the move
            assertThat(answers).filteredOn(a -> a.path("outcome").asText().equals("CHANGED")).hasSize(1);
            assertThat(answers).filteredOn(a -> a.path("outcome").asText().equals("CONFLICT")).hasSize(19)
                    .allSatisfy(a -> assertThat(a.path("reason").asText()).contains("not v1 as expected"));
            int winner = answers.stream().filter(a -> a.path("outcome").asText().equals("CHANGED")).findFirst()
                    .orElseThrow().path("version").asInt();
            assertThat(registry.alias(model, ModelRegistry.PRODUCTION)).contains(winner);
            List<AuditEntry> moves = registry.auditTrail(model).stream().filter(AuditEntry::movedProduction).toList();
            assertThat(moves).hasSize((int) movesBefore + 1);
            assertThat(moves.get(moves.size() - 1).toVersion()).isEqualTo(winner);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ rollback, history, events

    @Test
    void aRollbackByCommand_shouldBeServedByTheNextPrediction_andAppearInTheHistoryAndAsAnEvent(LocalEnvironment env)
            throws Exception {
        // GIVEN v1 then v2 promoted by the pipeline, and v2 serving
        String model = "rollback-it";
        assertThat(upload(env, model, "iris.csv", iris).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(upload(env, model, "iris-2.csv", Datasets.shuffled(iris, 2)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(servedVersion(env, model)).isEqualTo(2);
        Path deliveries = env.home().resolve("logs/events/deliveries.log");
        long delivered = Files.exists(deliveries) ? Files.readAllLines(deliveries).size() : 0;

        // WHEN production is rolled back by command
        Cli rollback = mlops(env, "models", "rollback", model, "--reason", "v2 misroutes a segment");

        // THEN it moved 2 -> 1
        assertThat(rollback.code()).as(rollback.out()).isZero();
        assertThat(rollback.json().path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(rollback.json().path("production_after").asInt()).isEqualTo(1);
        // AND the rule delivered the event to the inference function, whose next prediction is served by v1
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(deliveries).stream().skip(delivered)
                .anyMatch(l -> l.contains("InferenceFunction") && l.endsWith("delivered")));
        assertThat(servedVersion(env, model)).isEqualTo(1);
        // AND the history says who, when, from, to and why
        Cli history = mlops(env, "models", "history", model);
        assertThat(history.code()).isZero();
        JsonNode last = history.json().path("entries").get(history.json().path("entries").size() - 1);
        assertThat(last.path("action").asText()).isEqualTo("rollback");
        assertThat(last.path("actor").asText()).isEqualTo(ModelsCommand.defaultActor());
        assertThat(last.path("from_version").asInt()).isEqualTo(2);
        assertThat(last.path("to_version").asInt()).isEqualTo(1);
        assertThat(last.path("reason").asText()).isEqualTo("v2 misroutes a segment");
        assertThat(last.path("at").asText()).isNotBlank();
        // AND `events tail` shows the event, published through EventBridge's PutEvents
        Cli events = mlops(env, "events", "tail", "--model", model, "--limit", "50");
        assertThat(events.code()).isZero();
        assertThat(events.json()).anySatisfy(e -> {
            assertThat(e.path("source").asText()).isEqualTo("mlops.registry");
            assertThat(e.path("detail-type").asText()).isEqualTo("Model Rolled Back");
            assertThat(e.path("detail").path("to_version").asInt()).isEqualTo(1);
        });
        assertThat(events.json()).extracting(e -> e.path("detail-type").asText())
                .contains("Model Version Registered", "Model Version Blessed", "Model Promoted");
        // AND lineage leads from v1 to its dataset version and back
        Cli lineage = mlops(env, "models", "lineage", model, "1");
        assertThat(lineage.code()).isZero();
        String datasetVersion = lineage.json().path("dataset").path("version").asText();
        assertThat(datasetVersion).isEqualTo(Sha256.hex(iris.getBytes(StandardCharsets.UTF_8)));
        Cli back = mlops(env, "datasets", "lineage", model, datasetVersion);
        assertThat(back.code()).isZero();
        assertThat(back.json().path("models")).anySatisfy(m -> {
            assertThat(m.path("model").asText()).isEqualTo(model);
            assertThat(m.path("version").asInt()).isEqualTo(1);
            assertThat(m.path("production").asBoolean()).isTrue();
        });
    }

    // ------------------------------------------------------------------ manual approval

    @Test
    void underManualApproval_nothingServesUntilApproved_andApprovingAfterTheChampionMovedIsAConflict(
            LocalEnvironment env) throws Exception {
        // GIVEN a dataset whose config asks for manual approval
        String model = "approval-it";
        new S3ObjectStore(env.clients().s3(), env.model().bucket().name())
                .putJson(Layout.config(model), Map.of("approval", Map.of("policy", "manual")));
        // WHEN the pipeline runs
        Run first = upload(env, model, "iris.csv", iris);
        // THEN the run ends PENDING_APPROVAL and nothing serves
        assertThat(first.status()).isEqualTo(RunStatus.PENDING_APPROVAL);
        assertThat(predict(env, model).statusCode()).isEqualTo(503);
        Cli list = mlops(env, "models", "list");
        assertThat(list.json().path("models")).anySatisfy(m -> {
            assertThat(m.path("model").asText()).isEqualTo(model);
            assertThat(m.path("pending_approval")).extracting(JsonNode::asInt).containsExactly(1);
        });
        // WHEN v1 is approved, it serves
        assertThat(mlops(env, "models", "approve", model, "1").code()).isZero();
        assertThat(servedVersion(env, model)).isEqualTo(1);

        // GIVEN v2 and v3, both blessed against v1, both pending
        assertThat(upload(env, model, "iris-2.csv", Datasets.shuffled(iris, 2)).status())
                .isEqualTo(RunStatus.PENDING_APPROVAL);
        assertThat(upload(env, model, "iris-3.csv", Datasets.shuffled(iris, 3)).status())
                .isEqualTo(RunStatus.PENDING_APPROVAL);
        assertThat(servedVersion(env, model)).as("nothing new serves before approval").isEqualTo(1);
        // WHEN v3 is approved, then v2
        Cli v3 = mlops(env, "models", "approve", model, "3");
        Cli v2 = mlops(env, "models", "approve", model, "2");
        // THEN v3 serves; approving v2, whose champion moved meanwhile, is a conflict that changes nothing
        assertThat(v3.code()).isZero();
        assertThat(v2.code()).isEqualTo(1);
        assertThat(v2.json().path("outcome").asText()).isEqualTo("CONFLICT");
        assertThat(v2.json().path("reason").asText()).contains("production moved to v3 after v2 was blessed against v1");
        assertThat(registry(env).alias(model, ModelRegistry.PRODUCTION)).contains(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> servedVersion(env, model) == 3);
        // AND a rejection needs a reason, and a rejected version is refused a promotion
        assertThat(mlops(env, "models", "reject", model, "2").code()).isEqualTo(2);
        assertThat(mlops(env, "models", "reject", model, "2", "--reason", "superseded by v3").code()).isZero();
        Cli refused = mlops(env, "models", "promote", model, "2");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.json().path("outcome").asText()).isEqualTo("REFUSED");
    }
}
