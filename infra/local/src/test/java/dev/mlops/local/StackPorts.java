package dev.mlops.local;

import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.domain.DatasetStatus;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.local.runtime.LocalEnvironment;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stack's records as integration tests read them: through the same adapters the functions
 * use, on the environment's emulators, with one way to wait for a pipeline.
 */
public final class StackPorts {

    private final LocalEnvironment env;

    public StackPorts(LocalEnvironment env) {
        this.env = env;
    }

    String bucket() {
        return env.model().bucket().name();
    }

    public ObjectStore store() {
        return new S3ObjectStore(env.clients().s3(), bucket());
    }

    DatasetCatalog datasets() {
        return new DynamoDatasetCatalog(env.clients().dynamoDb(), env.model().tableName("DatasetsTable"),
                env.model().tableName("UploadsTable"));
    }

    RunLog runs() {
        return new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"), Clock.systemUTC());
    }

    public ModelRegistry registry() {
        return new DynamoModelRegistry(env.clients().dynamoDb(), env.model().tableName("ModelsTable"),
                env.model().tableName("AuditTable"), Clock.systemUTC());
    }

    /** Uploads like a user: a put under the trigger's prefix, with optional object metadata. */
    public void put(String key, byte[] bytes, Map<String, String> metadata) {
        env.clients().s3().putObject(b -> b.bucket(bucket()).key(key).metadata(metadata), RequestBody.fromBytes(bytes));
    }

    /**
     * Waits until every request id is in a capture batch of {@code model} (the inference function writes
     * batches in the background), then until the drift check's settle time has passed the newest of those
     * batches, so the next check reads them all.
     */
    public void awaitCaptured(String model, java.util.Collection<String> requestIds) {
        java.time.Instant newest = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> newestBatchHolding(model, requestIds), java.util.Optional::isPresent).orElseThrow();
        long settle = Long.parseLong(env.model().function("DriftCheckFunction").environment()
                .getOrDefault("CAPTURE_SETTLE_SECONDS", "5"));
        java.time.Instant ready = newest.plusSeconds(settle + 1);
        await().atMost(Duration.ofSeconds(settle + 30)).pollInterval(Duration.ofMillis(200))
                .until(() -> java.time.Instant.now().isAfter(ready));
    }

    /** The key time of the newest batch among those holding the ids, once all are held. */
    private java.util.Optional<java.time.Instant> newestBatchHolding(String model, java.util.Collection<String> ids) {
        java.util.Set<String> missing = new java.util.HashSet<>(ids);
        java.time.Instant newest = null;
        for (ObjectStore.ObjectInfo o : store().list(dev.mlops.core.Layout.capturePrefix(model), null)) {
            String text;
            try (var in = new java.util.zip.GZIPInputStream(store().open(o.key(), null).orElseThrow())) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                continue;
            }
            boolean holds = false;
            for (java.util.Iterator<String> it = missing.iterator(); it.hasNext(); ) {
                if (text.contains("\"request_id\":\"" + it.next() + "\"")) {
                    it.remove();
                    holds = true;
                }
            }
            if (holds) {
                java.time.Instant t = dev.mlops.core.Layout.keyTime(o.key()).orElseThrow();
                newest = newest == null || t.isAfter(newest) ? t : newest;
            }
        }
        return missing.isEmpty() ? java.util.Optional.ofNullable(newest) : java.util.Optional.empty();
    }

    /** The dataset version once ingestion has recorded it. */
    DatasetVersion awaitDataset(String dataset, String version) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> datasets().find(dataset, version).orElse(null), v -> v != null);
    }

    /** The first-attempt run of a valid dataset version once it has ended. */
    public Run awaitRun(String dataset, String version) {
        assertThat(awaitDataset(dataset, version).status()).as("validation of " + dataset).isEqualTo(DatasetStatus.VALID);
        return awaitRun(RunRequest.runIdFor(dataset, version));
    }

    /** A run once it has ended. */
    Run awaitRun(String runId) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> runs().find(runId).orElse(null), r -> r != null && r.status().ended());
    }
}
