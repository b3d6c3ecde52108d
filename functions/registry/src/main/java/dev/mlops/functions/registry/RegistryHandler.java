package dev.mlops.functions.registry;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.Log;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.RunStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StackConfig;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.pipeline.RegistryTask;

import java.util.Map;

/** State machine task → {@link Registry} action (register, promote, record_failure) → its result. */
public final class RegistryHandler extends TaskHandler<RegistryTask, Object> {

    private final Registry registry;

    public RegistryHandler() {
        var dynamo = AwsClients.dynamoDb();
        this.registry = new Registry(new S3ObjectStore(AwsClients.s3(), StackConfig.bucket()),
                new ModelRegistryStore(dynamo, StackConfig.modelsTable()),
                new RunStore(dynamo, StackConfig.runsTable()));
    }

    public RegistryHandler(Registry registry) {
        this.registry = registry;
    }

    @Override
    protected Object handle(RegistryTask task, Context context) {
        Object result = switch (task.action() == null ? "" : task.action()) {
            case RegistryTask.REGISTER -> registry.register(task);
            case RegistryTask.PROMOTE -> registry.promote(task);
            case RegistryTask.RECORD_FAILURE -> registry.recordFailure(task);
            default -> throw new IllegalArgumentException("unknown registry action \"" + task.action()
                    + "\": expected register, promote or record_failure");
        };
        Log.info("registry " + task.action(), Map.of("run_id", task.runId(), "result", result));
        return result;
    }
}
