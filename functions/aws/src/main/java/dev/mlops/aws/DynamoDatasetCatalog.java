package dev.mlops.aws;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.ports.DatasetCatalog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.s;

/**
 * {@link DatasetCatalog} on DatasetsTable (pk {@code dataset}, sk {@code version}). A version is
 * the sha256 of the uploaded content, so recording it is idempotent: the first write wins.
 */
public final class DynamoDatasetCatalog implements DatasetCatalog {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDatasetCatalog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean record(DatasetVersion v) {
        return AwsCalls.call(dynamo, "recording dataset version " + v.dataset() + "/" + v.version(), () -> {
            try {
                dynamo.putItem(b -> b.tableName(table).item(Items.of(v)).conditionExpression("attribute_not_exists(version)"));
                return true;
            } catch (ConditionalCheckFailedException duplicate) {
                return false;
            }
        });
    }

    @Override
    public Optional<DatasetVersion> find(String dataset, String version) {
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading dataset version " + dataset + "/" + version,
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("dataset", s(dataset), "version", s(version)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.to(item, DatasetVersion.class));
    }

    @Override
    public List<DatasetVersion> versions(String dataset) {
        return AwsCalls.call(dynamo, "listing the versions of dataset " + dataset, () -> {
            List<DatasetVersion> out = new ArrayList<>();
            for (var page : dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("dataset = :d").expressionAttributeValues(Map.of(":d", s(dataset))))) {
                page.items().forEach(i -> out.add(Items.to(i, DatasetVersion.class)));
            }
            out.sort(java.util.Comparator.comparing(DatasetVersion::createdAt));
            return out;
        });
    }

    @Override
    public List<String> datasets() {
        // A scan of the key attribute only: the catalog holds one small item per uploaded version.
        return AwsCalls.call(dynamo, "listing the datasets", () -> {
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                    .projectionExpression("dataset"))) {
                page.items().forEach(i -> names.add(i.get("dataset").s()));
            }
            return List.copyOf(names);
        });
    }
}
