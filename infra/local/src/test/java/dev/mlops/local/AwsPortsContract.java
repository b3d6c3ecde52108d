package dev.mlops.local;

import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.aws.DynamoDriftCheckLog;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.DynamoBatchJobs;
import dev.mlops.aws.StepFunctionsLauncher;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.BatchJobs;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.ports.contract.BatchJobsContract;
import dev.mlops.core.ports.contract.DatasetCatalogContract;
import dev.mlops.core.ports.contract.DriftCheckLogContract;
import dev.mlops.core.ports.contract.Fixtures;
import dev.mlops.core.ports.contract.ModelRegistryContract;
import dev.mlops.core.ports.contract.ObjectStoreContract;
import dev.mlops.core.ports.contract.RunLogContract;
import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The AWS adapters pass the same port contracts as the in-memory ports the service tests use
 * (core's {@code InMemoryPortsTest}), checked through the real AWS SDK against a real S3 /
 * DynamoDB / Step Functions: the local emulators ({@link AdaptersOnEmulatorsIT}) or LocalStack in
 * Docker ({@link AdaptersOnLocalStackIT}). Resources come from template.yaml, as deployed.
 */
abstract class AwsPortsContract {

    protected abstract LocalClients clients();

    protected abstract StackModel stack();

    private String table(String logicalId) {
        return stack().tableName(logicalId);
    }

    @Nested
    class ObjectStoreOnAws extends ObjectStoreContract {
        @Override
        protected ObjectStore store() {
            return new S3ObjectStore(clients().s3(), stack().bucket().name());
        }
    }

    @Nested
    class DatasetCatalogOnAws extends DatasetCatalogContract {
        @Override
        protected DatasetCatalog catalog() {
            return new DynamoDatasetCatalog(clients().dynamoDb(), table("DatasetsTable"), table("UploadsTable"));
        }
    }

    @Nested
    class RunLogOnAws extends RunLogContract {
        @Override
        protected RunLog runs() {
            return new DynamoRunLog(clients().dynamoDb(), table("RunsTable"), Clock.systemUTC());
        }
    }

    @Nested
    class ModelRegistryOnAws extends ModelRegistryContract {
        @Override
        protected ModelRegistry registry() {
            return new DynamoModelRegistry(clients().dynamoDb(), table("ModelsTable"), table("AuditTable"), Clock.systemUTC());
        }
    }

    @Nested
    class DriftCheckLogOnAws extends DriftCheckLogContract {
        @Override
        protected DriftCheckLog checks() {
            return new DynamoDriftCheckLog(clients().dynamoDb(), table("DriftChecksTable"));
        }
    }

    @Nested
    class BatchJobsOnAws extends BatchJobsContract {
        @Override
        protected BatchJobs jobs() {
            return new DynamoBatchJobs(clients().dynamoDb(), table("BatchJobsTable"));
        }
    }

    @Test
    void launcher_shouldStartARunOnce_andRecogniseItsNameAfterItEnded() {
        // GIVEN a state machine that ends at once
        SfnClient sfn = clients().stepFunctions();
        String arn = sfn.createStateMachine(b -> b.name(Fixtures.unique("contract"))
                .roleArn("arn:aws:iam::000000000000:role/test")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"End\":true}}}"))
                .stateMachineArn();
        PipelineLauncher launcher = new StepFunctionsLauncher(sfn, arn);
        RunRequest request = Fixtures.request(Fixtures.unique("run"), "m");
        // WHEN the run is started, ends, and is started again
        PipelineLauncher.Launch first = launcher.start(request);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                sfn.describeExecution(b -> b.executionArn(first.executionId())).status() != ExecutionStatus.RUNNING);
        PipelineLauncher.Launch again = launcher.start(request);
        // THEN the second start is recognised as the same run, with the ARN AWS gives it
        assertThat(first.alreadyStarted()).isFalse();
        assertThat(again.alreadyStarted()).isTrue();
        assertThat(again.executionId()).isEqualTo(first.executionId()).isEqualTo(launcher.executionIdFor(request.runId()));
    }

    @Test
    void launcher_shouldDescribeAnExecutionAsItEnded_andNoneForANameNeverStarted() {
        // GIVEN a state machine that fails at once with an error and a cause
        SfnClient sfn = clients().stepFunctions();
        String arn = sfn.createStateMachine(b -> b.name(Fixtures.unique("contract"))
                .roleArn("arn:aws:iam::000000000000:role/test")
                .definition("{\"StartAt\":\"Boom\",\"States\":{\"Boom\":{\"Type\":\"Fail\",\"Error\":\"Broken\","
                        + "\"Cause\":\"on purpose\"}}}"))
                .stateMachineArn();
        PipelineLauncher launcher = new StepFunctionsLauncher(sfn, arn);
        RunRequest request = Fixtures.request(Fixtures.unique("run"), "m");
        // WHEN it runs to its end
        String execution = launcher.start(request).executionId();
        await().atMost(Duration.ofSeconds(20)).until(() -> launcher.describe(execution).orElseThrow().status().ended());
        // THEN
        assertThat(launcher.describe(execution)).hasValueSatisfying(e -> {
            assertThat(e.status()).isEqualTo(PipelineLauncher.ExecutionStatus.FAILED);
            assertThat(e.error()).isEqualTo("Broken");
            assertThat(e.cause()).isEqualTo("on purpose");
            assertThat(e.stoppedAt()).isNotNull();
        });
        assertThat(launcher.describe(launcher.executionIdFor(Fixtures.unique("never")))).isEmpty();
    }
}
