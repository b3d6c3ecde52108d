package dev.mlops.aws;

import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.ports.ModelRegistry;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static dev.mlops.aws.Items.s;

/**
 * {@link ModelRegistry} on ModelsTable (pk {@code model}, sk). Every write that can race is a
 * conditional single-item write (no transactions: the local emulator has none, and none are needed):
 * <ul>
 *   <li>{@code version#<10 digits>}: a model version; allocated with {@code attribute_not_exists},
 *       so two registrations can never get the same number;</li>
 *   <li>{@code alias#<name>}: which version an alias points at; moved only if it still points
 *       where the caller last saw it;</li>
 *   <li>{@code audit#<time>#<id>}: the append-only audit trail.</li>
 * </ul>
 */
public final class DynamoModelRegistry implements ModelRegistry {

    private static final String SK = "sk";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoModelRegistry(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    private static String versionKey(int version) {
        return String.format("version#%010d", version);
    }

    /** The highest version number of a model, 0 when it has none. */
    private int latestVersion(String model) {
        var items = AwsCalls.call(dynamo, "reading the latest version of " + model, () -> dynamo.query(b -> b
                .tableName(table).consistentRead(true)
                .keyConditionExpression("model = :m AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":m", s(model), ":p", s("version#")))
                .scanIndexForward(false).limit(1)).items());
        return items.isEmpty() ? 0 : Integer.parseInt(items.get(0).get("version").n());
    }

    @Override
    public ModelVersion register(ModelVersion draft) {
        while (true) {
            ModelVersion v = draft.numbered(latestVersion(draft.model()) + 1, clock.instant());
            Map<String, AttributeValue> item = Items.of(v);
            item.put(SK, s(versionKey(v.version())));
            boolean written = AwsCalls.call(dynamo, "registering " + v.model() + " v" + v.version(), () -> {
                try {
                    dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(sk)"));
                    return true;
                } catch (ConditionalCheckFailedException taken) {
                    return false;
                }
            });
            if (written) {
                return v;
            }
            // Another registration took this number between our query and our put: the next one is free,
            // and every loser makes progress (one number is taken per round), so this ends.
        }
    }

    @Override
    public Optional<ModelVersion> find(String model, int version) {
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading " + model + " v" + version, () -> dynamo
                .getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("model", s(model), SK, s(versionKey(version))))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.to(item, ModelVersion.class, SK));
    }

    @Override
    public List<ModelVersion> versions(String model) {
        return AwsCalls.call(dynamo, "listing the versions of " + model, () -> {
            List<ModelVersion> out = new ArrayList<>();
            for (var page : dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("model = :m AND begins_with(sk, :p)")
                    .expressionAttributeValues(Map.of(":m", s(model), ":p", s("version#"))))) {
                page.items().forEach(i -> out.add(Items.to(i, ModelVersion.class, SK)));
            }
            return out;
        });
    }

    @Override
    public Optional<Integer> alias(String model, String alias) {
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading alias " + alias + " of " + model, () -> dynamo
                .getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("model", s(model), SK, s("alias#" + alias)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(item.get("version").n()));
    }

    @Override
    public boolean moveAlias(String model, String alias, int version, Integer expected) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("model", s(model));
        item.put(SK, s("alias#" + alias));
        item.put("alias", s(alias));
        item.put("version", Items.n(version));
        item.put("updated_at", s(clock.instant().toString()));
        return AwsCalls.call(dynamo, "moving alias " + alias + " of " + model, () -> {
            try {
                dynamo.putItem(b -> {
                    b.tableName(table).item(item);
                    if (expected == null) {
                        b.conditionExpression("attribute_not_exists(sk)");
                    } else {
                        b.conditionExpression("version = :expected")
                                .expressionAttributeValues(Map.of(":expected", Items.n(expected)));
                    }
                });
                return true;
            } catch (ConditionalCheckFailedException moved) {
                return false;
            }
        });
    }

    @Override
    public Map<String, Integer> modelsWithAlias(String alias) {
        return AwsCalls.call(dynamo, "listing models with alias " + alias, () -> {
            Map<String, Integer> out = new TreeMap<>();
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                    .filterExpression("sk = :a")
                    .expressionAttributeValues(Map.of(":a", s("alias#" + alias))))) {
                page.items().forEach(i -> out.put(i.get("model").s(), Integer.parseInt(i.get("version").n())));
            }
            return out;
        });
    }

    @Override
    public void audit(AuditEntry entry) {
        Map<String, AttributeValue> item = Items.of(entry);
        item.put(SK, s("audit#" + entry.at() + "#" + UUID.randomUUID()));
        AwsCalls.run(dynamo, "auditing " + entry.action() + " of " + entry.model(),
                () -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public List<AuditEntry> auditTrail(String model) {
        return AwsCalls.call(dynamo, "reading the audit trail of " + model, () -> {
            List<AuditEntry> out = new ArrayList<>();
            for (var page : dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("model = :m AND begins_with(sk, :p)")
                    .expressionAttributeValues(Map.of(":m", s(model), ":p", s("audit#"))))) {
                page.items().forEach(i -> out.add(Items.to(i, AuditEntry.class, SK)));
            }
            return out;
        });
    }
}
