package dev.mlops.aws;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.n;
import static dev.mlops.aws.Items.s;

/**
 * {@link DriftCheckLog} on DriftChecksTable (pk {@code model}, sk {@code check_id}, time-ordered). A model's
 * retraining claim is one item beside its checks, under pk {@code <model>#retraining} (model names cannot hold
 * {@code #}, so it is never read as a check), written with a condition: absent, older than the cool-down, or
 * already this check's.
 */
public final class DynamoDriftCheckLog implements DriftCheckLog {

    private static final String CLAIM_SK = "claim";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDriftCheckLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(DriftCheck check) {
        AwsCalls.run(dynamo, "recording drift check " + check.checkId(),
                () -> dynamo.putItem(b -> b.tableName(table).item(Items.of(check))));
    }

    @Override
    public Optional<DriftCheck> latest(String model) {
        List<DriftCheck> one = history(model, 1);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    @Override
    public List<DriftCheck> history(String model, int limit) {
        var items = AwsCalls.call(dynamo, "reading the drift checks of " + model, () -> dynamo.query(b -> b
                .tableName(table).consistentRead(true)
                .keyConditionExpression("model = :m")
                .expressionAttributeValues(Map.of(":m", s(model)))
                .scanIndexForward(false).limit(limit)).items());
        return items.stream().map(i -> Items.to(i, DriftCheck.class)).toList();
    }

    @Override
    public Optional<RetrainingClaim> claimRetraining(String model, String checkId, Instant at, Instant notBefore) {
        Map<String, AttributeValue> item = Map.of("model", s(claimKey(model)), "check_id", s(CLAIM_SK),
                "claimed_by", s(checkId), "claimed_at", s(at.toString()), "claimed_at_ms", n(at.toEpochMilli()));
        boolean won = AwsCalls.call(dynamo, "claiming the retraining of " + model, () -> {
            try {
                dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(model) OR claimed_at_ms <= :cutoff OR claimed_by = :c")
                        .expressionAttributeValues(Map.of(":cutoff", n(notBefore.toEpochMilli()), ":c", s(checkId))));
                return true;
            } catch (ConditionalCheckFailedException held) {
                return false;
            }
        });
        if (won) {
            return Optional.empty();
        }
        Map<String, AttributeValue> held = AwsCalls.call(dynamo, "reading the retraining claim of " + model,
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("model", s(claimKey(model)), "check_id", s(CLAIM_SK)))).item());
        if (held == null || held.isEmpty()) {
            // Given back between the two calls: ask again.
            return claimRetraining(model, checkId, at, notBefore);
        }
        return Optional.of(new RetrainingClaim(model, held.get("claimed_by").s(),
                Instant.parse(held.get("claimed_at").s())));
    }

    @Override
    public void releaseRetraining(String model, String checkId) {
        AwsCalls.run(dynamo, "giving back the retraining claim of " + model, () -> {
            try {
                dynamo.deleteItem(b -> b.tableName(table)
                        .key(Map.of("model", s(claimKey(model)), "check_id", s(CLAIM_SK)))
                        .conditionExpression("claimed_by = :c")
                        .expressionAttributeValues(Map.of(":c", s(checkId))));
            } catch (ConditionalCheckFailedException notOurs) {
                // Another check holds it (or nobody): nothing to give back.
            }
        });
    }

    private static String claimKey(String model) {
        return model + "#retraining";
    }
}
