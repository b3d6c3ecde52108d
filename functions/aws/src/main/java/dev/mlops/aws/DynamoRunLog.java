package dev.mlops.aws;

import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ports.RunLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.s;

/**
 * {@link RunLog} on RunsTable (pk {@code run_id}, index {@code by_dataset}). Starting is
 * conditional on the id being new; ending is conditional on the run being RUNNING, so a finished
 * run is never rewritten, whoever asks.
 */
public final class DynamoRunLog implements RunLog {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoRunLog(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean start(Run run) {
        return AwsCalls.call(dynamo, "recording run " + run.runId(), () -> {
            try {
                dynamo.putItem(b -> b.tableName(table).item(Items.of(run)).conditionExpression("attribute_not_exists(run_id)"));
                return true;
            } catch (ConditionalCheckFailedException duplicate) {
                return false;
            }
        });
    }

    @Override
    public Optional<Run> find(String runId) {
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading run " + runId, () -> dynamo.getItem(b -> b
                .tableName(table).consistentRead(true).key(Map.of("run_id", s(runId)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.to(item, Run.class));
    }

    @Override
    public boolean end(String runId, RunEnding ending) {
        Map<String, AttributeValue> fields = Items.of(ending);
        fields.put("ended_at", s(clock.instant().toString()));
        StringBuilder set = new StringBuilder("SET ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (var field : fields.entrySet()) {
            set.append(i == 0 ? "" : ", ").append("#f").append(i).append(" = :v").append(i);
            names.put("#f" + i, field.getKey());
            values.put(":v" + i, field.getValue());
            i++;
        }
        names.put("#status", "status");
        values.put(":running", s(RunStatus.RUNNING.name()));
        return AwsCalls.call(dynamo, "ending run " + runId, () -> {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(Map.of("run_id", s(runId)))
                        .updateExpression(set.toString())
                        .conditionExpression("attribute_exists(run_id) AND #status = :running")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException notRunning) {
                return false;
            }
        });
    }

    @Override
    public List<Run> running() {
        // A filtered scan: the table holds one small item per run, and this runs rarely (a reconciliation sweep).
        return AwsCalls.call(dynamo, "listing the running runs", () -> {
            List<Run> out = new ArrayList<>();
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                    .filterExpression("#status = :running")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":running", s(RunStatus.RUNNING.name()))))) {
                page.items().forEach(i -> out.add(Items.to(i, Run.class)));
            }
            out.sort(Comparator.comparing(Run::startedAt));
            return out;
        });
    }

    /**
     * One dataset's runs come from the index {@code by_dataset}, newest first; every dataset's from a
     * scan (a table of runs stays small: one item per upload), sorted here.
     */
    @Override
    public List<Run> recent(String dataset, int limit) {
        int n = Math.max(1, limit);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (dataset != null) {
            AwsCalls.call(dynamo, "listing runs of " + dataset, () -> {
                dynamo.queryPaginator(b -> b.tableName(table).indexName("by_dataset")
                                .keyConditionExpression("dataset = :d").expressionAttributeValues(Map.of(":d", s(dataset)))
                                .scanIndexForward(false))
                        .items().stream().limit(n).forEach(items::add);
                return null;
            });
        } else {
            AwsCalls.call(dynamo, "listing runs", () -> {
                dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(items::add);
                return null;
            });
        }
        return items.stream().map(i -> Items.to(i, Run.class))
                .sorted(Comparator.comparing(Run::startedAt).thenComparing(Run::runId).reversed())
                .limit(n).toList();
    }
}
