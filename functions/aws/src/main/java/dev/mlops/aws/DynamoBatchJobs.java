package dev.mlops.aws;

import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.ports.BatchJobs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.s;

/**
 * {@link BatchJobs} on BatchJobsTable (pk {@code model}, sk {@code job}). Listing reads a model's jobs (or scans
 * the table) and sorts them newest first: jobs are few (one per scored file), so no index is kept for it.
 */
public final class DynamoBatchJobs implements BatchJobs {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoBatchJobs(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(BatchJob job) {
        AwsCalls.run(dynamo, "recording batch job " + job.model() + "/" + job.job(),
                () -> dynamo.putItem(b -> b.tableName(table).item(Items.of(job))));
    }

    @Override
    public Optional<BatchJob> find(String model, String job) {
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading batch job " + model + "/" + job,
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("model", s(model), "job", s(job)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.to(item, BatchJob.class));
    }

    @Override
    public List<BatchJob> list(String model, int limit) {
        List<BatchJob> all = new ArrayList<>();
        AwsCalls.run(dynamo, "listing batch jobs", () -> {
            if (model == null) {
                dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                        .forEach(i -> all.add(Items.to(i, BatchJob.class)));
            } else {
                dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("model = :m")
                        .expressionAttributeValues(Map.of(":m", s(model)))).items()
                        .forEach(i -> all.add(Items.to(i, BatchJob.class)));
            }
        });
        return all.stream().sorted(Comparator.comparing(BatchJob::startedAt).reversed()).limit(limit).toList();
    }
}
