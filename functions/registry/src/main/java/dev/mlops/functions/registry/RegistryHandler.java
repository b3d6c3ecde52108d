package dev.mlops.functions.registry;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.registry.RegistryService;

import java.util.Map;

/** State machine task → {@link RegistryService} (register, promote, record_failure, retry_run) → its result. */
public final class RegistryHandler extends TaskHandler<RegistryTask, Object> {

    private final RegistryService registry;
    private final PowertoolsMetrics metrics;

    public RegistryHandler() {
        Adapters aws = Adapters.fromEnvironment();
        this.registry = new RegistryService(aws.objectStore(), aws.modelRegistry(), aws.runLog(),
                aws.pipelineLauncher(), aws.clock());
        this.metrics = aws.metrics();
    }

    public RegistryHandler(RegistryService registry, PowertoolsMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    protected Object handle(RegistryTask task, Context context) {
        metrics.coldStart(context);
        Object result = registry.handle(task);
        Log.info("registry " + task.getClass().getSimpleName(), Map.of("run_id", task.runId(), "result", result));
        return result;
    }
}
