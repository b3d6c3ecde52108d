package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StepFunctionsLauncher;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.Anomaly;
import dev.mlops.core.data.AnomalyKind;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.Severity;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RunLog;
import dev.mlops.local.Repo;
import dev.mlops.local.runtime.FaultInjection;
import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected into a running local stack, each followed by the same checks: every upload has an outcome,
 * no run is RUNNING without a live execution, no model version is half-registered, and a retry (where the fault
 * ended a run) reaches SUCCEEDED. Real faults where they can be had: an emulator process killed with SIGKILL (and
 * started again by the supervisor), the runtime itself killed with SIGKILL, {@code StopExecution}; function errors
 * and delays injected as AWS Fault Injection Service injects them into Lambda ({@link FaultInjection}). The table
 * of scenarios and outcomes is in docs/reliability.md, "Fault injection".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {

    private static final String ITERATION_ERROR = "dev.mlops.core.errors.TransientException";

    private Path home;
    private LocalEnvironment env;
    private final byte[] iris = read("data/iris.csv");
    /** Every upload the scenarios made: key → S3 version id. */
    private final Map<String, String> uploads = new ConcurrentHashMap<>();
    /** Every model the scenarios trained. */
    private final Set<String> models = ConcurrentHashMap.newKeySet();

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Repo.file(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("mlops-faults-");
        env = LocalEnvironment.start(Repo.root(), home);
    }

    @AfterAll
    void stop() throws Exception {
        if (env != null) {
            env.close();
        }
        deleteTree(home);
    }

    @AfterEach
    void restoreDefaults() {
        env.faults().clear();
        env.emulators().restartDelay(Duration.ofSeconds(1));
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void aHungDynamoDb_shouldGiveA503AndAFailedIngestAttempt_notHangs() throws Exception {
        // GIVEN DynamoDB stopped (SIGSTOP): its connections are accepted and never answered
        ProcessHandle dynalite = env.emulators().processes("dynalite").get(0);
        signal(dynalite, "STOP");
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            // WHEN a prediction asks for a model the inference function has not loaded
            var predict = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(env.info().apiUrl()
                            + "/v1/models/hung-registry:predict")).timeout(Duration.ofSeconds(60)) // a hang guard only
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"instances\":[{\"x\":1}]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // THEN it is told the model cannot be served now (503 with a reason), within the inference function's
            // SDK timeouts (template.yaml: 4 s an attempt, 10 s a call), long before the API's 29 s
            assertThat(predict.statusCode()).as(predict.body()).isEqualTo(503);
            assertThat(Json.tree(predict.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("error")
                    .asText()).isNotBlank();

            // WHEN the ingest function gets an upload's event
            byte[] event = dev.mlops.local.runtime.Events.s3ObjectCreated("IngestValidationFunction-S3", bucket(),
                    "incoming/fi-hung/iris.csv", 10, "etag", "v1", 1);
            var ingest = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(env.info().lambdaUrl()
                            + "/2015-03-31/functions/" + env.model().function("IngestValidationFunction").name()
                            + "/invocations")).timeout(Duration.ofMinutes(3)) // a hang guard only
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(event)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // THEN the attempt fails (to be retried, then dead-lettered, as S3 events are) naming DynamoDB, within
            // its SDK timeouts (20 s an attempt, 60 s a call), not after minutes
            assertThat(ingest.headers().firstValue("X-Amz-Function-Error")).as(ingest.body()).isPresent();
            assertThat(ingest.body()).contains("DynamoDB").contains(ITERATION_ERROR);
        } finally {
            signal(dynalite, "CONT");
        }
    }

    private static void signal(ProcessHandle process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    @Test
    void dynamoDbKilledDuringIngestion_shouldEndInFailedDelivery_andARedriveShouldTrainIt() throws Exception {
        // GIVEN DynamoDB killed, and kept down until told
        env.emulators().restartDelay(Duration.ofMinutes(10));
        oneCandidate(store(), "fi-dynamo");
        env.emulators().kill("dynalite");
        // WHEN a file is uploaded with --wait
        Path file = copyOf("data/iris.csv", "fi-dynamo.csv");
        Cli upload = cli("upload", file.toString(), "--dataset", "fi-dynamo", "--wait", "--json");
        // THEN --wait returns on the dead-lettered event's outcome (not on its own time limit), with what to do
        assertThat(upload.code).as(upload.err).isEqualTo(1);
        JsonNode out = Json.MAPPER.readTree(upload.out);
        assertThat(out.path("status").asText()).isEqualTo("FAILED_DELIVERY");
        assertThat(out.path("reason").asText()).contains("DynamoDB").contains("./mlops datasets redrive");
        String key = out.path("key").asText();
        String versionId = out.path("version_id").asText();
        uploads.put(key, versionId);
        assertThat(env.deliveries().deadLetters()).anySatisfy(d -> assertThat(d.key()).isEqualTo(key));

        // WHEN DynamoDB comes back
        env.emulators().release("dynalite");
        // THEN the failed delivery is recorded on the upload (the runtime records it once DynamoDB answers)
        UploadOutcome recorded = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> quietly(() -> datasets().findUpload(key, versionId).orElse(null)),
                        u -> u != null && u.status() == UploadStatus.FAILED_DELIVERY);
        assertThat(recorded.attempts()).isEqualTo(3);
        Cli shown = cli("datasets", "show", "fi-dynamo");
        assertThat(shown.out).contains("FAILED_DELIVERY").contains("datasets redrive");

        // WHEN the dead letter is redriven
        Cli redrive = cli("datasets", "redrive", "--json");
        // THEN it is ingested, trained and the dead-letter queue is empty
        assertThat(redrive.code).as(redrive.out + redrive.err).isZero();
        assertThat(env.deliveries().deadLetters()).isEmpty();
        Run run = awaitRunEnded(RunRequest.runIdFor("fi-dynamo", Sha256.hex(iris)));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(datasets().findUpload(key, versionId).orElseThrow().status()).isEqualTo(UploadStatus.VALID);
        models.add("fi-dynamo");
        assertNothingLostNothingStuck();
    }

    @Test
    void s3KilledDuringTraining_shouldBeRetriedByTheStateMachine_andTheRunSucceed() throws Exception {
        // GIVEN the next training invocation held for 3 s, so that S3 dies while it trains
        env.faults().inject(new FaultInjection.Fault("TrainingFunction", null, 1, Duration.ofSeconds(3), null, null));
        env.emulators().restartDelay(Duration.ofSeconds(4));
        int trainingFailuresBefore = env.faults().failures("TrainingFunction");
        // WHEN iris is uploaded and S3 is killed once the training task has started
        upload("fi-s3", iris);
        await().atMost(Duration.ofSeconds(60)).until(() -> env.faults().fired().stream()
                .anyMatch(f -> f.startsWith("TrainingFunction delay")));
        env.emulators().kill("s3mock");
        // THEN the task fails while S3 is down, is retried, and the run succeeds in its first attempt
        Run run = awaitRunEnded(RunRequest.runIdFor("fi-s3", Sha256.hex(iris)));
        assertThat(run.status()).as(run.error() + ": " + run.cause()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(env.faults().failures("TrainingFunction") - trainingFailuresBefore).as("training failures")
                .isPositive();
        models.add("fi-s3");
        assertNothingLostNothingStuck();
    }

    @Test
    void stepFunctionsKilledDuringRegistration_shouldEndTheRunFailedWithTheCause_andARetryShouldSucceed()
            throws Exception {
        // GIVEN the next registration held for 4 s
        env.faults().inject(new FaultInjection.Fault("RegistryFunction", "\"action\":\"register\"", 1,
                Duration.ofSeconds(4), null, null));
        // WHEN iris is uploaded and Step Functions is killed while the Register task runs
        String runId = upload("fi-sfn", iris);
        await().atMost(Duration.ofSeconds(60)).until(() -> env.faults().fired().stream()
                .anyMatch(f -> f.startsWith("RegistryFunction delay")));
        env.emulators().kill("stepfunctions");
        // THEN the execution it lost is reported FAILED when it is back, and the run is reconciled with the cause
        Run run = awaitRunEnded(runId);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.cause()).contains("local runtime restarted while the execution was running");
        assertThat(run.reason()).contains("reconciled");
        // AND a retry reaches SUCCEEDED
        assertThat(retry(runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        models.add("fi-sfn");
        assertNothingLostNothingStuck();
    }

    @Test
    void stopExecution_shouldEndTheRunAborted_andARetryShouldSucceed() throws Exception {
        // GIVEN the next training invocation held for 4 s
        env.faults().inject(new FaultInjection.Fault("TrainingFunction", null, 1, Duration.ofSeconds(4), null, null));
        // WHEN iris is uploaded and its execution stopped while it trains
        String runId = upload("fi-stop", iris);
        await().atMost(Duration.ofSeconds(60)).until(() -> env.faults().fired().stream()
                .anyMatch(f -> f.startsWith("TrainingFunction delay")));
        String execution = runs().find(runId).orElseThrow().executionId();
        env.clients().stepFunctions().stopExecution(b -> b.executionArn(execution).error("Operator")
                .cause("stopped by the fault-injection test"));
        // THEN the run is ABORTED with the error and cause it was stopped with
        Run run = awaitRunEnded(runId);
        assertThat(run.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(run.error()).isEqualTo("Operator");
        assertThat(run.cause()).isEqualTo("stopped by the fault-injection test");
        // AND a retry reaches SUCCEEDED
        assertThat(retry(runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        models.add("fi-stop");
        assertNothingLostNothingStuck();
    }

    @Test
    void aRowWhoseFeaturesAreAllEmpty_shouldBeReportedAndDropped_andTheRunSucceed() throws Exception {
        // GIVEN iris with one more row: its label, and every feature empty (a valid CSV)
        String csv = new String(iris, StandardCharsets.UTF_8).strip() + "\n,,,,setosa\n";
        // WHEN it is uploaded
        Run run = awaitRunEnded(upload("fi-empty-row", csv.getBytes(StandardCharsets.UTF_8)));
        // THEN the run trains without that row, never failing on an example without features
        assertThat(run.status()).as(run.reason() + " " + run.cause()).isEqualTo(RunStatus.SUCCEEDED);
        // AND the validation report counts it, on its line, as a warning saying it was dropped
        String key = "incoming/fi-empty-row/fi-empty-row.csv";
        UploadOutcome outcome = datasets().findUpload(key, uploads.get(key)).orElseThrow();
        DatasetReport report = Json.read(store().find(outcome.reportKey()).orElseThrow().bytes(), DatasetReport.class);
        assertThat(report.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.EMPTY_FEATURES);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.rows()).isEqualTo(1);
            assertThat(a.examples()).extracting(Anomaly.Example::line).containsExactly(csv.lines().count());
            assertThat(a.message()).contains("dropped from training");
        });
        models.add("fi-empty-row");
        assertNothingLostNothingStuck();
    }

    @Test
    void aTaskFailingTwiceThenSucceeding_shouldBeRetried_andTheRunSucceedInItsFirstAttempt() throws Exception {
        // GIVEN the next two training invocations fail as S3 being unreachable would
        env.faults().inject(new FaultInjection.Fault("TrainingFunction", null, 2, Duration.ZERO, ITERATION_ERROR,
                "S3 (http://127.0.0.1:1) could not be reached (injected)"));
        int before = env.faults().failures("TrainingFunction");
        // WHEN iris is uploaded
        Run run = awaitRunEnded(upload("fi-twice", iris));
        // THEN
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(env.faults().failures("TrainingFunction") - before).isEqualTo(2);
        models.add("fi-twice");
        assertNothingLostNothingStuck();
    }

    @Test
    void aTaskFailingForGood_shouldEndTheRunFailedWithItsError_andARetryShouldSucceed() throws Exception {
        // GIVEN training fails more times than the state machine retries it (1 + 4 attempts)
        env.faults().inject(new FaultInjection.Fault("TrainingFunction", null, 5, Duration.ZERO, ITERATION_ERROR,
                "S3 (http://127.0.0.1:1) could not be reached (injected)"));
        // WHEN iris is uploaded
        String runId = upload("fi-forgood", iris);
        Run run = awaitRunEnded(runId);
        // THEN the Catch recorded the failure with the task's error and cause
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo(ITERATION_ERROR);
        assertThat(run.cause()).contains("could not be reached (injected)");
        // AND once the cause is gone a retry reaches SUCCEEDED
        assertThat(retry(runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        models.add("fi-forgood");
        assertNothingLostNothingStuck();
    }

    @Test
    void theRuntimeKilledDuringARun_shouldHaveItsRunReconciledAtTheNextStart_andARetryShouldSucceed()
            throws Exception {
        // GIVEN `local up` as a process of its own, its next training invocation held for 60 s
        Path otherHome = Files.createTempDirectory("mlops-faults-up-");
        List<Process> started = new ArrayList<>();
        try {
            started.add(localUp(otherHome, "-Dmlops.faults=TrainingFunction:1:PT60S"));
            RuntimeInfo first = awaitRunning(otherHome);
            LocalClients clients = LocalClients.of(first);
            StackModel stack = StackModel.load(Repo.file("template.yaml"));
            String key = "incoming/fi-killed/iris.csv";
            oneCandidate(new S3ObjectStore(clients.s3(), stack.bucket().name()), "fi-killed");
            clients.s3().putObject(b -> b.bucket(stack.bucket().name()).key(key), RequestBody.fromBytes(iris));
            String runId = RunRequest.runIdFor("fi-killed", Sha256.hex(iris));
            RunLog runsThere = new DynamoRunLog(clients.dynamoDb(), stack.tableName("RunsTable"), Clock.systemUTC());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> runsThere.find(runId).map(Run::status).orElse(null) == RunStatus.RUNNING);
            Thread.sleep(2000); // the training task is held: the run is in the middle of its execution
            // WHEN the runtime is killed (SIGKILL) and started again
            started.get(0).destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            started.add(localUp(otherHome));
            RuntimeInfo second = awaitRunning(otherHome);
            LocalClients again = LocalClients.of(second);
            RunLog runsAgain = new DynamoRunLog(again.dynamoDb(), stack.tableName("RunsTable"), Clock.systemUTC());
            // THEN the run is reconciled with its execution's end and cause
            Run run = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> runsAgain.find(runId).orElseThrow(), r -> r.status().ended());
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.cause()).contains("local runtime restarted while the execution was running");
            // AND an emulator dying under `local up` is named in its log (which one, its exit code) and comes back
            ProcessHandle dynalite = second.emulatorPids().stream().map(ProcessHandle::of).flatMap(Optional::stream)
                    .filter(h -> h.info().commandLine().orElse("").contains("dynalite-server")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dynalite among " + second.emulatorPids()));
            dynalite.destroyForcibly();
            Path upLog = otherHome.resolve("up.log");
            await("local up names the dead emulator, then says it is back").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> Files.readString(upLog), log ->
                            log.contains("[local] dynalite (DynamoDB, pid " + dynalite.pid() + ") exited with code")
                                    && log.contains("[local] dynalite (DynamoDB) is back on port"));
            // AND a retry through the command line reaches SUCCEEDED
            Cli retry = cli(otherHome, "runs", "retry", runId, "--json");
            assertThat(retry.code).as(retry.out + retry.err).isZero();
            String newRun = Json.MAPPER.readTree(retry.out).path("new_run_id").asText();
            Run retried = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> runsAgain.find(newRun).orElse(null), r -> r != null && r.status().ended());
            assertThat(retried.status()).isEqualTo(RunStatus.SUCCEEDED);
            // AND nothing is lost or stuck there either
            DatasetCatalog catalog = new DynamoDatasetCatalog(again.dynamoDb(), stack.tableName("DatasetsTable"),
                    stack.tableName("UploadsTable"));
            String versionId = again.s3().headObject(b -> b.bucket(stack.bucket().name()).key(key)).versionId();
            assertThat(catalog.findUpload(key, versionId)).hasValueSatisfying(u ->
                    assertThat(u.status()).isEqualTo(UploadStatus.VALID));
            assertNoRunWithoutALiveExecution(runsAgain, new StepFunctionsLauncher(again.stepFunctions(),
                    stack.stateMachines().get(0).arn()));
            assertNoHalfRegisteredVersion(new DynamoModelRegistry(again.dynamoDb(), stack.tableName("ModelsTable"), stack.tableName("AuditTable"),
                    Clock.systemUTC()), new S3ObjectStore(again.s3(), stack.bucket().name()), "fi-killed");
        } finally {
            started.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            for (Process p : started) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
            deleteTree(otherHome);
        }
    }

    // ------------------------------------------------------------------ the checks after each fault

    private void assertNothingLostNothingStuck() {
        // every upload has an outcome (settled: not RETRYING)
        uploads.forEach((key, versionId) -> assertThat(datasets().findUpload(key, versionId)).as("outcome of " + key)
                .hasValueSatisfying(u -> assertThat(u.status().settled()).isTrue()));
        assertNoRunWithoutALiveExecution(runs(), launcher());
        for (String model : models) {
            assertNoHalfRegisteredVersion(registry(), store(), model);
        }
    }

    private static void assertNoRunWithoutALiveExecution(RunLog runs, PipelineLauncher launcher) {
        for (Run run : runs.running()) {
            assertThat(launcher.describe(run.executionId())).as("execution of RUNNING run " + run.runId())
                    .hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(PipelineLauncher.ExecutionStatus.RUNNING));
        }
    }

    private static void assertNoHalfRegisteredVersion(ModelRegistry registry, ObjectStore store, String model) {
        ArtifactLoader loader = new ArtifactLoader(store);
        for (ModelVersion v : registry.versions(model)) {
            assertThat(loader.load(v.artifact())).as(model + " v" + v.version() + " artifact")
                    .isInstanceOf(ArtifactLoader.Ready.class);
            assertThat(store.head("models/" + model + "/" + v.version() + "/model-card.json", null))
                    .as(model + " v" + v.version() + " model card").isPresent();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Uploads under incoming/<dataset>/ and waits for the outcome: VALID, with a RUNNING (or ended) run. */
    private String upload(String dataset, byte[] bytes) {
        oneCandidate(store(), dataset);
        String key = "incoming/" + dataset + "/" + dataset + ".csv";
        String versionId = env.clients().s3().putObject(b -> b.bucket(bucket()).key(key), RequestBody.fromBytes(bytes))
                .versionId();
        uploads.put(key, versionId);
        UploadOutcome outcome = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> datasets().findUpload(key, versionId).orElse(null), u -> u != null && u.status().settled());
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(UploadStatus.VALID);
        return outcome.runId();
    }

    /**
     * One candidate a run: the faults count TrainingFunction invocations, and a search of several candidates would
     * spread them over its Map's items, each retried on its own (so "fails 5 times" would never exhaust one task).
     */
    private static void oneCandidate(ObjectStore store, String dataset) {
        store.putJson(Layout.config(dataset), Map.of("training", Map.of("families", List.of("logistic-regression"))));
    }

    private Run awaitRunEnded(String runId) {
        return await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200))
                .until(() -> quietly(() -> runs().find(runId).orElse(null)), r -> r != null && r.status().ended());
    }

    /** `./mlops runs retry`, then the new attempt once it has ended. */
    private Run retry(String runId) throws Exception {
        Cli retry = cli("runs", "retry", runId, "--json");
        assertThat(retry.code).as(retry.out + retry.err).isZero();
        return awaitRunEnded(Json.MAPPER.readTree(retry.out).path("new_run_id").asText());
    }

    /** A read that may hit an emulator being restarted: null until it answers. */
    private static <T> T quietly(java.util.concurrent.Callable<T> read) {
        try {
            return read.call();
        } catch (Exception e) {
            return null;
        }
    }

    private record Cli(int code, String out, String err) {
    }

    private Cli cli(String... args) {
        return cli(home, args);
    }

    private static Cli cli(Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private Path copyOf(String file, String as) throws Exception {
        Path dir = Files.createDirectories(home.resolve("files"));
        return Files.copy(Repo.file(file), dir.resolve(as), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String bucket() {
        return env.model().bucket().name();
    }

    private DatasetCatalog datasets() {
        return new DynamoDatasetCatalog(env.clients().dynamoDb(), env.model().tableName("DatasetsTable"),
                env.model().tableName("UploadsTable"));
    }

    private RunLog runs() {
        return new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"), Clock.systemUTC());
    }

    private ModelRegistry registry() {
        return new DynamoModelRegistry(env.clients().dynamoDb(), env.model().tableName("ModelsTable"),
                env.model().tableName("AuditTable"), Clock.systemUTC());
    }

    private ObjectStore store() {
        return new S3ObjectStore(env.clients().s3(), bucket());
    }

    private PipelineLauncher launcher() {
        return new StepFunctionsLauncher(env.clients().stepFunctions(), env.model().stateMachines().get(0).arn());
    }

    private static Process localUp(Path home, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dmlops.root=" + Repo.root(),
                "dev.mlops.local.cli.Main", "local", "up", "--json", "--home", home.toString()));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("up.log").toFile())).start();
    }

    private static RuntimeInfo awaitRunning(Path home) {
        return await("local up running (log: " + home.resolve("up.log") + ")").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> RuntimeInfo.readLive(home).orElse(null), java.util.Objects::nonNull);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
