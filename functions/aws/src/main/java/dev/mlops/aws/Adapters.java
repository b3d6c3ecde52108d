package dev.mlops.aws;

import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.BatchJobs;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RegistryEvents;
import dev.mlops.core.ports.RunLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Clock;

/**
 * The ports a function needs, on SDK clients built from the function's environment (as
 * template.yaml sets it). A handler makes one of these at construction; each client is built once,
 * on first use, so a function never builds a client it does not use.
 */
public final class Adapters {

    private final Clock clock = Clock.systemUTC();
    private S3Client s3;
    private DynamoDbClient dynamo;
    private SfnClient sfn;
    private EventBridgeClient events;

    private Adapters() {
    }

    /** Adapters for the running function. */
    public static Adapters fromEnvironment() {
        return new Adapters();
    }

    public Clock clock() {
        return clock;
    }

    public ObjectStore objectStore() {
        return new S3ObjectStore(s3(), StackConfig.bucket());
    }

    public DatasetCatalog datasetCatalog() {
        String uploads = FunctionEnvironment.get("UPLOADS_TABLE");
        return new DynamoDatasetCatalog(dynamo(), StackConfig.datasetsTable(), uploads);
    }

    public ModelRegistry modelRegistry() {
        return new DynamoModelRegistry(dynamo(), StackConfig.modelsTable(), StackConfig.auditTable(), clock);
    }

    public RunLog runLog() {
        return new DynamoRunLog(dynamo(), StackConfig.runsTable(), clock);
    }

    public DriftCheckLog driftCheckLog() {
        return new DynamoDriftCheckLog(dynamo(), StackConfig.driftTable());
    }

    public BatchJobs batchJobs() {
        return new DynamoBatchJobs(dynamo(), StackConfig.batchJobsTable());
    }

    public PipelineLauncher pipelineLauncher() {
        return new StepFunctionsLauncher(sfn(), StackConfig.stateMachineArn());
    }

    public RegistryEvents registryEvents() {
        if (events == null) {
            events = AwsClients.eventBridge();
        }
        return new EventBridgeRegistryEvents(events, StackConfig.eventBusName());
    }

    public PowertoolsMetrics metrics() {
        return PowertoolsMetrics.fromEnvironment();
    }

    private S3Client s3() {
        if (s3 == null) {
            s3 = AwsClients.s3();
        }
        return s3;
    }

    private DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = AwsClients.dynamoDb();
        }
        return dynamo;
    }

    private SfnClient sfn() {
        if (sfn == null) {
            sfn = AwsClients.stepFunctions();
        }
        return sfn;
    }
}
