package dev.mlops.functions.registry;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.Json;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.registry.RegistryOperation;
import dev.mlops.core.registry.RegistryOperations;
import dev.mlops.core.registry.RegistryService;

import java.util.Map;

/**
 * The registry function: the pipeline's steps ({@link RegistryService}: register, promote,
 * record_failure, retry_run) and people's operations ({@link RegistryOperations}: list_models,
 * promote_model, rollback_model, approve_version, ...), told apart by the {@code action} field.
 */
public final class RegistryHandler extends TaskHandler<JsonNode, Object> {

    private final RegistryService registry;
    private final RegistryOperations operations;
    private final PowertoolsMetrics metrics;

    public RegistryHandler() {
        Adapters aws = Adapters.fromEnvironment();
        var events = aws.registryEvents();
        this.registry = new RegistryService(aws.objectStore(), aws.modelRegistry(), aws.runLog(),
                aws.pipelineLauncher(), events, aws.clock());
        this.operations = new RegistryOperations(aws.objectStore(), aws.modelRegistry(), aws.runLog(),
                aws.datasetCatalog(), events, aws.clock());
        this.metrics = aws.metrics();
    }

    public RegistryHandler(RegistryService registry, RegistryOperations operations, PowertoolsMetrics metrics) {
        this.registry = registry;
        this.operations = operations;
        this.metrics = metrics;
    }

    /**
     * The input as a {@link RegistryOperation} or a {@link RegistryTask}, by its action.
     *
     * @throws dev.mlops.core.errors.ContractException naming an unknown action or field
     */
    public static Object parse(JsonNode input) {
        String action = input.path("action").asText("");
        return RegistryOperation.ACTIONS.contains(action) ? Json.convert(input, RegistryOperation.class)
                : Json.convert(input, RegistryTask.class);
    }

    @Override
    protected Object handle(JsonNode input, Context context) {
        metrics.coldStart(context);
        Object request = parse(input);
        if (request instanceof RegistryOperation operation) {
            Object result = operations.handle(operation);
            Log.info("registry " + input.path("action").asText(), Map.of("result", result));
            return result;
        }
        RegistryTask task = (RegistryTask) request;
        Object result = registry.handle(task);
        Log.info("registry " + task.getClass().getSimpleName(), Map.of("run_id", task.runId(), "result", result));
        return result;
    }
}
