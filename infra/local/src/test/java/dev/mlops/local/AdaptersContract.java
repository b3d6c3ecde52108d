package dev.mlops.local;

import dev.mlops.aws.DatasetStore;
import dev.mlops.aws.DriftCheckStore;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.PipelineStarter;
import dev.mlops.aws.RunStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the adapters promise, checked through the real AWS SDK against a real S3 / DynamoDB / Step
 * Functions implementation: the local emulators ({@link AdaptersOnEmulatorsIT}) or LocalStack in
 * Docker ({@link AdaptersOnLocalStackIT}). Resources come from template.yaml, as deployed.
 */
abstract class AdaptersContract {

    protected abstract LocalClients clients();

    protected abstract StackModel stack();

    private String table(String logicalId) {
        return stack().tableName(logicalId);
    }

    private S3ObjectStore store() {
        return new S3ObjectStore(clients().s3(), stack().bucket().name());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void s3_shouldListWhatWasWrittenAndReadItBack() {
        // GIVEN two objects under a fresh prefix
        S3ObjectStore store = store();
        String prefix = unique("contract") + "/";
        store.put(prefix + "a.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.putJson(prefix + "b.json", Map.of("b", 2));
        // WHEN listed and read
        List<S3ObjectStore.Listed> listed = store.list(prefix);
        // THEN both are there, in key order, with their content
        assertThat(listed).extracting(S3ObjectStore.Listed::key).containsExactly(prefix + "a.json", prefix + "b.json");
        assertThat(new String(store.get(prefix + "a.json", null).bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(store.find(prefix + "missing.json")).isEmpty();
    }

    @Test
    void s3_get_shouldReadThePinnedVersionAfterTheKeyIsOverwritten() {
        // GIVEN a key written twice in the versioned data bucket
        S3ObjectStore store = store();
        String key = unique("contract") + "/data.csv";
        String first = store.put(key, "a,label\n1,x\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        store.put(key, "a,label\n2,y\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        // WHEN the first version is read by its id
        S3ObjectStore.StoredObject pinned = store.get(key, first);
        // THEN it is the first content, not the latest
        assertThat(first).isNotBlank();
        assertThat(new String(pinned.bytes(), StandardCharsets.UTF_8)).isEqualTo("a,label\n1,x\n");
        assertThat(new String(store.get(key, null).bytes(), StandardCharsets.UTF_8)).isEqualTo("a,label\n2,y\n");
    }

    @Test
    void datasets_putIfAbsent_shouldKeepTheFirstRecordOfAVersion() {
        DatasetStore datasets = new DatasetStore(clients().dynamoDb(), table("DatasetsTable"));
        String dataset = unique("ds");
        var first = new DatasetStore.DatasetVersion(dataset, "v1", "VALID", 150, 5, "label", "incoming/x.csv", null,
                "r", "p", "s", Instant.now().toString());
        var duplicate = new DatasetStore.DatasetVersion(dataset, "v1", "INVALID", 0, 0, "label", "incoming/y.csv", null,
                "r2", null, null, Instant.now().toString());
        assertThat(datasets.putIfAbsent(first)).isTrue();
        assertThat(datasets.putIfAbsent(duplicate)).isFalse();
        assertThat(datasets.get(dataset, "v1")).hasValueSatisfying(v -> {
            assertThat(v.status()).isEqualTo("VALID");
            assertThat(v.rows()).isEqualTo(150);
        });
    }

    @Test
    void registry_concurrentRegistrations_shouldNeverShareAVersionNumber() throws Exception {
        // GIVEN 12 registrations of one model racing on 4 threads
        ModelRegistryStore registry = new ModelRegistryStore(clients().dynamoDb(), table("ModelsTable"));
        String model = unique("m");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String run = "run-" + i;
            Callable<Integer> register = () -> registry.register(new ModelRegistryStore.ModelVersion(model, 0, "REGISTERED",
                    true, "test", run, "ds", "dv", "label", "logistic-regression", "a", "s", "c", "sig", "met", "prof",
                    0.9, 0.9, null)).version();
            futures.add(pool.submit(register));
        }
        Set<Integer> versions = ConcurrentHashMap.newKeySet();
        for (Future<Integer> f : futures) {
            versions.add(f.get());
        }
        pool.shutdown();
        // THEN every registration got its own number, 1..12, and each run finds its own
        assertThat(versions).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 12).boxed().toList());
        assertThat(registry.latestVersion(model)).isEqualTo(12);
        assertThat(registry.versionOfRun(model, "run-3")).hasValueSatisfying(v -> assertThat(v.runId()).isEqualTo("run-3"));
    }

    @Test
    void registry_moveAlias_shouldRefuseAStaleExpectation() {
        ModelRegistryStore registry = new ModelRegistryStore(clients().dynamoDb(), table("ModelsTable"));
        String model = unique("m");
        assertThat(registry.moveAlias(model, "production", 1, null)).isTrue();
        assertThat(registry.moveAlias(model, "production", 2, null)).as("alias exists already").isFalse();
        assertThat(registry.moveAlias(model, "production", 3, 2)).as("expects v2 but it is v1").isFalse();
        assertThat(registry.moveAlias(model, "production", 2, 1)).isTrue();
        assertThat(registry.alias(model, "production")).contains(2);
        assertThat(registry.modelsWithAlias("production")).containsEntry(model, 2);
    }

    @Test
    void runs_start_shouldBeIdempotent_andEndShouldRecordTheOutcome() {
        RunStore runs = new RunStore(clients().dynamoDb(), table("RunsTable"));
        String run = unique("run");
        assertThat(runs.start(run, "ds", "dv", "m", "arn:execution")).isTrue();
        assertThat(runs.start(run, "ds", "dv", "m", "arn:execution")).isFalse();
        assertThat(runs.get(run)).hasValueSatisfying(r -> assertThat(r.ended()).isFalse());
        runs.end(run, "FAILED", Map.of("error", "States.TaskFailed", "cause", "boom"));
        assertThat(runs.get(run)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo("FAILED");
            assertThat(r.error()).isEqualTo("States.TaskFailed");
            assertThat(r.dataset()).isEqualTo("ds");
        });
    }

    @Test
    void driftChecks_latest_shouldBeTheMostRecentCheck() {
        DriftCheckStore checks = new DriftCheckStore(clients().dynamoDb(), table("DriftChecksTable"));
        String model = unique("m");
        checks.put(new DriftCheckStore.DriftCheck(model, "20260101T000000Z-a", 1, "s", "e1", 10, false, List.of(), "k1"));
        checks.put(new DriftCheckStore.DriftCheck(model, "20260102T000000Z-b", 1, "e1", "e2", 40, true, List.of("x"), "k2"));
        assertThat(checks.latest(model)).hasValueSatisfying(c -> {
            assertThat(c.windowEnd()).isEqualTo("e2");
            assertThat(c.driftedFeatures()).containsExactly("x");
        });
    }

    @Test
    void pipelineStarter_shouldTreatARepeatedExecutionNameAsTheSameRun() throws Exception {
        // GIVEN a state machine that ends at once
        SfnClient sfn = clients().stepFunctions();
        String arn = sfn.createStateMachine(b -> b.name(unique("contract")).roleArn("arn:aws:iam::000000000000:role/test")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"End\":true}}}")).stateMachineArn();
        PipelineStarter starter = new PipelineStarter(sfn, arn);
        // WHEN the same name is started, finishes, and is started again with the same input
        PipelineStarter.Started first = starter.start("run-1", "{\"x\":1}");
        awaitEnd(sfn, first.executionArn());
        PipelineStarter.Started again = starter.start("run-1", "{\"x\":1}");
        // THEN the second start is recognised as the same run, with the ARN AWS gives it
        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.executionArn()).isEqualTo(first.executionArn()).isEqualTo(starter.executionArn("run-1"));
    }

    private static void awaitEnd(SfnClient sfn, String executionArn) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (sfn.describeExecution(b -> b.executionArn(executionArn)).status() != ExecutionStatus.RUNNING) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution still running: " + executionArn);
    }
}
