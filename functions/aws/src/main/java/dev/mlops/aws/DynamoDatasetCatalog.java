package dev.mlops.aws;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
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
 * {@link DatasetCatalog} on DatasetsTable (pk {@code dataset}, sk {@code version}) and UploadsTable (pk
 * {@code key}, sk {@code version_id}, index {@code by_dataset}: {@code dataset}, {@code recorded_at}). A version
 * is the sha256 of the uploaded content, so recording it is idempotent: the first write wins. An upload's outcome
 * is written once too, except a failed delivery (RETRYING, FAILED_DELIVERY) or a validation in parts (VALIDATING), which the next outcome replaces: one
 * conditional put.
 */
public final class DynamoDatasetCatalog implements DatasetCatalog {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String uploadsTable;

    /** A catalog of dataset versions and upload outcomes. */
    public DynamoDatasetCatalog(DynamoDbClient dynamo, String table, String uploadsTable) {
        this.dynamo = dynamo;
        this.table = table;
        this.uploadsTable = uploadsTable;
    }

    /** A catalog of dataset versions only, for readers that never look at uploads. */
    public DynamoDatasetCatalog(DynamoDbClient dynamo, String table) {
        this(dynamo, table, null);
    }

    private String uploads() {
        if (uploadsTable == null) {
            throw new IllegalStateException("this dataset catalog was built without the uploads table (UPLOADS_TABLE)");
        }
        return uploadsTable;
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

    @Override
    public boolean recordUpload(UploadOutcome outcome) {
        return AwsCalls.call(dynamo, "recording the outcome of upload " + outcome.key() + " (" + outcome.versionId()
                + ")", () -> {
            try {
                dynamo.putItem(b -> b.tableName(uploads()).item(Items.of(outcome))
                        .conditionExpression("attribute_not_exists(#k) OR #s IN (:retrying, :failed, :validating)")
                        .expressionAttributeNames(Map.of("#k", "key", "#s", "status"))
                        .expressionAttributeValues(Map.of(":retrying", s(UploadStatus.RETRYING.name()),
                                ":failed", s(UploadStatus.FAILED_DELIVERY.name()),
                                ":validating", s(UploadStatus.VALIDATING.name()))));
                return true;
            } catch (ConditionalCheckFailedException settled) {
                return false;
            }
        });
    }

    @Override
    public Optional<UploadOutcome> findUpload(String key, String versionId) {
        String id = versionId == null || versionId.isBlank() ? UploadOutcome.UNVERSIONED : versionId;
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading the outcome of upload " + key + " (" + id
                + ")", () -> dynamo.getItem(b -> b.tableName(uploads()).consistentRead(true)
                .key(Map.of("key", s(key), "version_id", s(id)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.to(item, UploadOutcome.class));
    }

    @Override
    public List<UploadOutcome> uploads(String dataset) {
        return AwsCalls.call(dynamo, "listing the uploads of " + dataset, () -> {
            List<UploadOutcome> out = new ArrayList<>();
            for (var page : dynamo.queryPaginator(b -> b.tableName(uploads()).indexName("by_dataset")
                    .keyConditionExpression("dataset = :d").expressionAttributeValues(Map.of(":d", s(dataset))))) {
                page.items().forEach(i -> out.add(Items.to(i, UploadOutcome.class)));
            }
            // Instants as ISO strings do not sort by time (fraction digits vary): sort the values.
            out.sort(java.util.Comparator.comparing(UploadOutcome::recordedAt));
            return out;
        });
    }
}
