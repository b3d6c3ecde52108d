package dev.mlops.aws;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.Optional;

import static dev.mlops.aws.Items.s;

/** {@link DriftCheckLog} on DriftChecksTable (pk {@code model}, sk {@code check_id}, time-ordered). */
public final class DynamoDriftCheckLog implements DriftCheckLog {

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
        var items = AwsCalls.call(dynamo, "reading the latest drift check of " + model, () -> dynamo.query(b -> b
                .tableName(table).consistentRead(true)
                .keyConditionExpression("model = :m")
                .expressionAttributeValues(Map.of(":m", s(model)))
                .scanIndexForward(false).limit(1)).items());
        return items.isEmpty() ? Optional.empty() : Optional.of(Items.to(items.get(0), DriftCheck.class));
    }
}
