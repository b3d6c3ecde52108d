package dev.mlops.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.item;
import static dev.mlops.aws.Items.s;

/** Drift check summaries (table DriftChecksTable: pk model, sk check_id, time-ordered). */
public final class DriftCheckStore {

    /** What one check saw and concluded. {@code windowEnd} is where the next check starts reading. */
    public record DriftCheck(String model, String checkId, int modelVersion, String windowStart, String windowEnd,
                             int samples, boolean driftDetected, List<String> driftedFeatures, String reportKey) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public DriftCheckStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void put(DriftCheck c) {
        Map<String, AttributeValue> i = item("model", c.model(), "check_id", c.checkId(), "model_version",
                c.modelVersion(), "window_start", c.windowStart(), "window_end", c.windowEnd(), "samples", c.samples(),
                "drift_detected", c.driftDetected(), "report_key", c.reportKey());
        if (!c.driftedFeatures().isEmpty()) {
            i.put("drifted_features", AttributeValue.fromSs(c.driftedFeatures()));
        }
        dynamo.putItem(b -> b.tableName(table).item(i));
    }

    /** The most recent check of a model. */
    public Optional<DriftCheck> latest(String model) {
        var items = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("model = :m")
                .expressionAttributeValues(Map.of(":m", s(model)))
                .scanIndexForward(false).limit(1)).items();
        if (items.isEmpty()) {
            return Optional.empty();
        }
        var i = items.get(0);
        AttributeValue drifted = i.get("drifted_features");
        return Optional.of(new DriftCheck(Items.str(i, "model"), Items.str(i, "check_id"),
                Items.integer(i, "model_version"), Items.str(i, "window_start"), Items.str(i, "window_end"),
                Items.integer(i, "samples"), Boolean.TRUE.equals(Items.bool(i, "drift_detected")),
                drifted == null ? List.of() : drifted.ss(), Items.str(i, "report_key")));
    }
}
