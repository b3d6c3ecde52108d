package dev.mlops.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.item;
import static dev.mlops.aws.Items.s;

/**
 * Dataset versions (table DatasetsTable: pk dataset, sk version). A version is the sha256 of the
 * uploaded content, so recording it is idempotent: the first write wins and a duplicate event
 * finds the record already there.
 */
public final class DatasetStore {

    /** One dataset version and its validation outcome. */
    public record DatasetVersion(String dataset, String version, String status, long rows, int columns,
                                 String label, String sourceKey, String sourceVersionId, String reportKey,
                                 String profileKey, String schemaKey, String createdAt) {

        public boolean valid() {
            return "VALID".equals(status);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public DatasetStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Records a version unless it is already recorded; returns false for a duplicate. */
    public boolean putIfAbsent(DatasetVersion v) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item("dataset", v.dataset(), "version", v.version(), "status", v.status(),
                            "rows", v.rows(), "columns", v.columns(), "label", v.label(),
                            "source_key", v.sourceKey(), "source_version_id", v.sourceVersionId(),
                            "report_key", v.reportKey(), "profile_key", v.profileKey(),
                            "schema_key", v.schemaKey(), "created_at", v.createdAt()))
                    .conditionExpression("attribute_not_exists(version)"));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    public Optional<DatasetVersion> get(String dataset, String version) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("dataset", s(dataset), "version", s(version)))).item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatasetVersion(Items.str(i, "dataset"), Items.str(i, "version"), Items.str(i, "status"),
                Items.longValue(i, "rows"), Items.integer(i, "columns"), Items.str(i, "label"),
                Items.str(i, "source_key"), Items.str(i, "source_version_id"), Items.str(i, "report_key"),
                Items.str(i, "profile_key"), Items.str(i, "schema_key"), Items.str(i, "created_at")));
    }
}
