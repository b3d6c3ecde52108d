package dev.mlops.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.item;
import static dev.mlops.aws.Items.s;

/**
 * Pipeline runs (table RunsTable: pk run_id, index by_dataset). A run is started by ingest
 * validation and ended by the registry function: SUCCEEDED (promoted), NOT_BLESSED (registered,
 * champion kept) or FAILED (with the error and cause the state machine caught).
 */
public final class RunStore {

    /** One run. Fields not reached yet are null. */
    public record Run(String runId, String dataset, String datasetVersion, String model, String status,
                      String executionArn, String startedAt, String endedAt, Integer version,
                      Integer productionVersion, String reason, String error, String cause) {

        public boolean ended() {
            return !"RUNNING".equals(status);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public RunStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Records a started run; a duplicate start (same run id) keeps the first record and returns false. */
    public boolean start(String runId, String dataset, String datasetVersion, String model, String executionArn) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item("run_id", runId, "dataset", dataset, "dataset_version", datasetVersion, "model", model,
                            "status", "RUNNING", "execution_arn", executionArn, "started_at", Instant.now().toString()))
                    .conditionExpression("attribute_not_exists(run_id)"));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    /** Ends a run with a status and the fields that explain it (null values are left out). */
    public void end(String runId, String status, Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("status", status);
        all.put("ended_at", Instant.now().toString());
        StringBuilder expression = new StringBuilder("SET ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (var field : all.entrySet()) {
            if (field.getValue() == null) {
                continue;
            }
            if (i > 0) {
                expression.append(", ");
            }
            expression.append("#f").append(i).append(" = :v").append(i);
            names.put("#f" + i, field.getKey());
            values.putAll(Items.item(":v" + i, field.getValue()));
            i++;
        }
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("run_id", s(runId)))
                .updateExpression(expression.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    public Optional<Run> get(String runId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("run_id", s(runId)))).item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Run(Items.str(i, "run_id"), Items.str(i, "dataset"), Items.str(i, "dataset_version"),
                Items.str(i, "model"), Items.str(i, "status"), Items.str(i, "execution_arn"),
                Items.str(i, "started_at"), Items.str(i, "ended_at"), Items.integer(i, "version"),
                Items.integer(i, "production_version"), Items.str(i, "reason"), Items.str(i, "error"),
                Items.str(i, "cause")));
    }
}
