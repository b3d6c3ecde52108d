package dev.mlops.functions.registry;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.Json;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.ports.PipelineLauncher.ExecutionStatus;
import dev.mlops.core.registry.RegistryCommand;
import dev.mlops.core.registry.RegistryCommands;
import dev.mlops.core.registry.RegistryQueries;
import dev.mlops.core.registry.RegistryQuery;
import dev.mlops.core.registry.RegistryRequest;
import dev.mlops.core.registry.RegistryService;
import dev.mlops.core.registry.RunReconciler;

import java.time.Duration;
import java.util.Map;

/**
 * The registry function: the pipeline's steps ({@link RegistryService}: register, promote,
 * record_failure, retry_run), people's questions ({@link RegistryQueries}: list_models, show_model, ...) and
 * changes ({@link RegistryCommands}: promote_model, rollback_model, approve_version, ...), told apart by the
 * {@code action} field, and
 * the reconciliation of runs whose execution ended outside the pipeline's steps ({@link RunReconciler}): Step
 * Functions' execution status change events (EventBridge, {@code source: aws.states}) and the
 * {@code reconcile_runs} sweep. Reconciliation lives here because this function already owns ending runs (and
 * only RUNNING ones, the rule {@code record_failure} follows): a function of its own would need the same table
 * permissions and repeat the same rule.
 */
public final class RegistryHandler extends TaskHandler<JsonNode, Object> {

    /** The detail-type of Step Functions' execution status change events. */
    public static final String EXECUTION_STATUS_CHANGE = "Step Functions Execution Status Change";

    private final RegistryService registry;
    private final RegistryQueries queries;
    private final RegistryCommands commands;
    private final RunReconciler reconciler;
    private final PowertoolsMetrics metrics;

    public RegistryHandler() {
        Adapters aws = Adapters.fromEnvironment();
        var events = aws.registryEvents();
        this.registry = new RegistryService(aws.objectStore(), aws.modelRegistry(), aws.runLog(),
                aws.pipelineLauncher(), events, aws.clock());
        this.queries = new RegistryQueries(aws.objectStore(), aws.modelRegistry(), aws.runLog(), aws.datasetCatalog());
        this.commands = new RegistryCommands(aws.objectStore(), aws.modelRegistry(), events, aws.clock());
        this.reconciler = new RunReconciler(aws.runLog(), aws.pipelineLauncher(), aws.modelRegistry(), aws.clock());
        this.metrics = aws.metrics();
    }

    public RegistryHandler(RegistryService registry, RegistryQueries queries, RegistryCommands commands,
                           RunReconciler reconciler, PowertoolsMetrics metrics) {
        this.registry = registry;
        this.queries = queries;
        this.commands = commands;
        this.reconciler = reconciler;
        this.metrics = metrics;
    }

    /** Without reconciliation (its requests are then refused). */
    public RegistryHandler(RegistryService registry, RegistryQueries queries, RegistryCommands commands,
                           PowertoolsMetrics metrics) {
        this(registry, queries, commands, null, metrics);
    }

    /**
     * A Step Functions execution status change event as the ended execution it reports. The run id is the
     * execution's name, taken from the event's own fields, never from the execution input.
     *
     * @throws ContractException for another kind of event, or one without the fields it needs
     */
    public static RunReconciler.ExecutionEnded executionEnded(JsonNode event) {
        if (!EXECUTION_STATUS_CHANGE.equals(event.path("detail-type").asText())) {
            throw new ContractException("an aws.states event of detail-type \"" + event.path("detail-type").asText()
                    + "\" is not an execution status change");
        }
        JsonNode detail = event.path("detail");
        String name = text(detail, "name");
        String status = text(detail, "status");
        ContractException.required(name, "detail.name");
        ContractException.required(status, "detail.status");
        ExecutionStatus parsed;
        try {
            parsed = ExecutionStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new ContractException("detail.status \"" + status + "\" is not an execution status");
        }
        return new RunReconciler.ExecutionEnded(name, text(detail, "executionArn"), parsed, text(detail, "error"),
                text(detail, "cause"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * The {@code reconcile_runs} action: end every RUNNING run whose execution ended, and those whose execution was
     * never started once they are older than {@code min_age_seconds} (default: 15 minutes, the ingest function's
     * timeout, so an ingestion about to start one is not cut off).
     */
    public record ReconcileRuns(String action, Long minAgeSeconds) {

        public ReconcileRuns {
            if (!"reconcile_runs".equals(action)) {
                throw new ContractException("action must be reconcile_runs");
            }
            if (minAgeSeconds != null && minAgeSeconds < 0) {
                throw new ContractException("min_age_seconds must not be negative");
            }
        }

        Duration grace() {
            return minAgeSeconds == null ? RunReconciler.DEFAULT_GRACE : Duration.ofSeconds(minAgeSeconds);
        }
    }

    /**
     * The input as a {@link RegistryRequest}, a {@link RegistryTask} (by its action), a
     * {@link ReconcileRuns} sweep, or the {@link RunReconciler.ExecutionEnded} a Step Functions status change
     * event reports.
     *
     * @throws dev.mlops.core.errors.ContractException naming an unknown action or field
     */
    public static Object parse(JsonNode input) {
        if ("aws.states".equals(input.path("source").asText())) {
            return executionEnded(input);
        }
        String action = input.path("action").asText("");
        if ("reconcile_runs".equals(action)) {
            return Json.convert(input, ReconcileRuns.class);
        }
        return RegistryRequest.ACTIONS.contains(action) ? Json.convert(input, RegistryRequest.class)
                : Json.convert(input, RegistryTask.class);
    }

    @Override
    protected Object handle(JsonNode input, Context context) {
        metrics.coldStart(context);
        Object request = parse(input);
        if (request instanceof ReconcileRuns || request instanceof RunReconciler.ExecutionEnded) {
            return reconcile(request);
        }
        if (request instanceof RegistryRequest people) {
            Object result = people instanceof RegistryQuery query ? queries.answer(query)
                    : commands.run((RegistryCommand) people);
            Log.info("registry " + input.path("action").asText(), Map.of("result", result));
            return result;
        }
        RegistryTask task = (RegistryTask) request;
        Object result = registry.handle(task);
        Log.info("registry " + task.getClass().getSimpleName(), Map.of("run_id", task.runId(), "result", result));
        return result;
    }

    private Object reconcile(Object request) {
        if (reconciler == null) {
            throw new IllegalStateException("this registry handler was built without a run reconciler");
        }
        if (request instanceof ReconcileRuns sweepRequest) {
            RunReconciler.Sweep sweep = reconciler.sweep(sweepRequest.grace());
            Log.info("registry reconcile_runs", Map.of("checked", sweep.checked(), "reconciled", sweep.runs()));
            return sweep;
        }
        RunReconciler.Reconciled result = reconciler.executionEnded((RunReconciler.ExecutionEnded) request);
        Log.info("registry execution status change", Map.of("result", result));
        return result;
    }
}
