package dev.mlops.functions.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.aws.Log;
import dev.mlops.aws.StackConfig;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.Json;
import dev.mlops.core.Names;
import dev.mlops.core.batch.BatchPlan;
import dev.mlops.core.batch.BatchRequest;
import dev.mlops.core.batch.BatchScoring;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.serving.ServedModels;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The batch job function: an upload under {@code batch/<model>/<job>.csv} (S3 event) plans the job and starts the
 * batch state machine with its plan ({@link BatchScoring#planNew}); the state machine's own steps, told apart by
 * {@code action}, plan a job started without one ({@code plan}), join its parts ({@code finish}) and record why it
 * failed ({@code fail}), all by {@link BatchScoring}.
 */
public final class BatchJobHandler extends TaskHandler<JsonNode, Object> {

    private final BatchScoring batch;
    private final ObjectStore store;
    private final SfnClient sfn;
    private final String stateMachineArn;

    public BatchJobHandler() {
        Adapters aws = Adapters.fromEnvironment();
        this.batch = scoring(aws);
        this.store = aws.objectStore();
        this.sfn = AwsClients.stepFunctions();
        this.stateMachineArn = StackConfig.batchStateMachineArn();
    }

    public BatchJobHandler(BatchScoring batch, ObjectStore store, SfnClient sfn, String stateMachineArn) {
        this.batch = batch;
        this.store = store;
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    /** The service both batch functions use, loading models as serving does (no background refresh needed). */
    static BatchScoring scoring(Adapters aws) {
        ServedModels models = new ServedModels(aws.objectStore(), aws.modelRegistry(), aws.metrics(), aws.clock(),
                Runnable::run);
        return new BatchScoring(aws.objectStore(), models, aws.batchJobs(), aws.clock(), new BatchScoring.Settings(
                Long.parseLong(FunctionEnvironment.get("BATCH_PART_BYTES",
                        String.valueOf(BatchScoring.DEFAULTS.partBytes())).strip()),
                Integer.parseInt(FunctionEnvironment.get("BATCH_MAX_CONCURRENCY",
                        String.valueOf(BatchScoring.DEFAULTS.maxConcurrency())).strip())));
    }

    @Override
    protected Object handle(JsonNode input, Context context) {
        if (input.has("Records")) {
            return started(input.get("Records"));
        }
        String action = input.path("action").asText("");
        return switch (action) {
            case "plan" -> batch.plan(Json.convert(input.get("request"), BatchRequest.class));
            case "finish" -> batch.finish(Json.convert(input.get("plan"), BatchPlan.class));
            case "fail" -> {
                // The execution's input: the request, and its plan when the upload's event planned it.
                JsonNode given = input.get("request");
                if (given instanceof ObjectNode withPlan) {
                    withPlan.remove("plan");
                }
                BatchRequest request = Json.convert(given, BatchRequest.class);
                JsonNode error = input.path("error");
                yield batch.fail(request.model(), request.job(), request.inputKey(), error.path("Error").asText(null),
                        error.path("Cause").asText(null));
            }
            default -> throw new ContractException("action must be plan, finish or fail, not \"" + action + "\"");
        };
    }

    /** Starts one execution per batch input in an S3 event; other keys (a job's outputs) are passed over. */
    private List<Map<String, Object>> started(JsonNode records) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode record : records) {
            String key = URLDecoder.decode(record.at("/s3/object/key").asText(), StandardCharsets.UTF_8);
            String versionId = record.at("/s3/object/versionId").asText(null);
            var metadata = store.head(key, versionId).map(ObjectStore.ObjectInfo::metadata).orElse(Map.of());
            BatchRequest.forUpload(key, versionId, metadata).ifPresent(request -> {
                String name = executionName(request);
                // The execution's input is the request; planned here, it carries its plan too (skipping Plan).
                Map<String, Object> input = Json.tree(request);
                Optional<BatchPlan> plan = batch.planNew(request);
                plan.ifPresent(p -> input.put("plan", Json.tree(p)));
                String arn;
                try {
                    arn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name)
                            .input(Json.string(input))).executionArn();
                } catch (ExecutionAlreadyExistsException again) {
                    arn = "already started";
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("model", request.model());
                fields.put("job", request.job());
                fields.put("planned", plan.isPresent());
                fields.put("execution", arn);
                Log.info("batch job started", fields);
                out.add(fields);
            });
        }
        return out;
    }

    /** One execution per job (at most 80 characters, as Step Functions allows): {@code <model>.<job>}. */
    static String executionName(BatchRequest request) {
        Names.require("model", request.model());
        Names.require("job", request.job());
        String name = request.model() + "." + request.job();
        return name.length() <= 80 ? name : name.substring(0, 80);
    }
}
