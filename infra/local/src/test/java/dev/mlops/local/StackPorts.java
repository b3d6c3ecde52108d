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
final class StackPorts {

    private final LocalEnvironment env;

    StackPorts(LocalEnvironment env) {
        this.env = env;
    }

    String bucket() {
        return env.model().bucket().name();
    }

    ObjectStore store() {
        return new S3ObjectStore(env.clients().s3(), bucket());
    }

    DatasetCatalog datasets() {
        return new DynamoDatasetCatalog(env.clients().dynamoDb(), env.model().tableName("DatasetsTable"),
                env.model().tableName("UploadsTable"));
    }

    RunLog runs() {
        return new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"), Clock.systemUTC());
    }

    ModelRegistry registry() {
        return new DynamoModelRegistry(env.clients().dynamoDb(), env.model().tableName("ModelsTable"), Clock.systemUTC());
    }

    /** Uploads like a user: a put under the trigger's prefix, with optional object metadata. */
    void put(String key, byte[] bytes, Map<String, String> metadata) {
        env.clients().s3().putObject(b -> b.bucket(bucket()).key(key).metadata(metadata), RequestBody.fromBytes(bytes));
    }

    /** The dataset version once ingestion has recorded it. */
    DatasetVersion awaitDataset(String dataset, String version) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> datasets().find(dataset, version).orElse(null), v -> v != null);
    }

    /** The first-attempt run of a valid dataset version once it has ended. */
    Run awaitRun(String dataset, String version) {
        assertThat(awaitDataset(dataset, version).status()).as("validation of " + dataset).isEqualTo(DatasetStatus.VALID);
        return awaitRun(RunRequest.runIdFor(dataset, version));
    }

    /** A run once it has ended. */
    Run awaitRun(String runId) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> runs().find(runId).orElse(null), r -> r != null && r.status().ended());
    }
}
