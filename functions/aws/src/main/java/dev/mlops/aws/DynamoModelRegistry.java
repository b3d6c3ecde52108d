package dev.mlops.aws;

import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.ports.ModelRegistry;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static dev.mlops.aws.Items.s;

/**
 * {@link ModelRegistry} on ModelsTable (pk {@code model}, sk) and AuditTable. Every write that can race is a
 * conditional single-item write (no transactions: the local emulator has none, and none are needed):
 * <ul>
 *   <li>{@code version#<10 digits>}: a model version; allocated with {@code attribute_not_exists},
 *       so two registrations can never get the same number;</li>
 *   <li>{@code alias#<name>}: which version an alias points at; moved only if it still points
 *       where the caller last saw it;</li>
 *   <li>{@code rollout}: the model's rollout (the one under way, or the last that ended); written only over the
 *       revision the writer read.</li>
 * </ul>
 * The audit trail is in AuditTable (pk {@code model}, sk {@code audit#<time>#<id>}, the time with nine fraction
 * digits so that the sort key orders entries in time): a table of its own because IAM cannot restrict DynamoDB
 * writes by sort key, and there the registry may only add entries (a conditional PutItem that never replaces
 * one) and read them (Query); no role may update or delete them.
 * Approval and tags are parts of the version item, changed by conditional updates of those parts.
 */
public final class DynamoModelRegistry implements ModelRegistry {

    private static final String SK = "sk";
    private static final String ROLLOUT = "rollout";
    private static final DateTimeFormatter AUDIT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;
    private final String auditTable;
    private final Clock clock;

    /**
     * @param table      ModelsTable: versions and aliases
     * @param auditTable AuditTable: the append-only audit trail
     */
    public DynamoModelRegistry(DynamoDbClient dynamo, String table, String auditTable, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.auditTable = auditTable;
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
    public Optional<Rollout> rollout(String model) {
        Map<String, AttributeValue> item = AwsCalls.call(dynamo, "reading the rollout of " + model, () -> dynamo
                .getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("model", s(model), SK, s(ROLLOUT)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.to(item, Rollout.class, SK));
    }

    @Override
    public boolean putRollout(Rollout next) {
        Map<String, AttributeValue> item = Items.of(next);
        item.put(SK, s(ROLLOUT));
        return AwsCalls.call(dynamo, "writing the rollout of " + next.model(), () -> {
            try {
                dynamo.putItem(b -> {
                    b.tableName(table).item(item);
                    if (next.revision() == 1) {
                        b.conditionExpression("attribute_not_exists(sk)");
                    } else {
                        b.conditionExpression("revision = :expected")
                                .expressionAttributeValues(Map.of(":expected", Items.n(next.revision() - 1)));
                    }
                });
                return true;
            } catch (ConditionalCheckFailedException changed) {
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
    public List<String> models() {
        return AwsCalls.call(dynamo, "listing models", () -> {
            List<String> out = new ArrayList<>();
            // Every model has exactly one first version: a scan of those items lists each model once.
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                    .filterExpression("sk = :first").projectionExpression("model")
                    .expressionAttributeValues(Map.of(":first", s(versionKey(1)))))) {
                page.items().forEach(i -> out.add(i.get("model").s()));
            }
            out.sort(null);
            return out;
        });
    }

    @Override
    public List<ModelVersion> versionsTrainedOn(String dataset, String datasetVersion) {
        return AwsCalls.call(dynamo, "finding the versions trained on " + dataset + "/" + datasetVersion, () -> {
            List<ModelVersion> out = new ArrayList<>();
            // A scan: the registry holds few items, and lineage is a rare question (an index would serve it at scale).
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                    .filterExpression("begins_with(sk, :p) AND #l.#d = :d AND #l.#dv = :dv")
                    .expressionAttributeNames(Map.of("#l", "lineage", "#d", "dataset", "#dv", "dataset_version"))
                    .expressionAttributeValues(Map.of(":p", s("version#"), ":d", s(dataset), ":dv", s(datasetVersion))))) {
                page.items().forEach(i -> out.add(Items.to(i, ModelVersion.class, SK)));
            }
            out.sort(java.util.Comparator.comparing(ModelVersion::model).thenComparingInt(ModelVersion::version));
            return out;
        });
    }

    @Override
    public boolean setApproval(String model, int version, Approval approval, ApprovalStatus expected) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":a", Items.attribute(approval));
        String condition;
        if (expected == null) {
            condition = "attribute_exists(sk) AND attribute_not_exists(approval)";
        } else {
            condition = "approval.#st = :expected";
            values.put(":expected", s(expected.name()));
        }
        Map<String, String> names = expected == null ? null : Map.of("#st", "status");
        return AwsCalls.call(dynamo, "setting the approval of " + model + " v" + version, () -> {
            try {
                dynamo.updateItem(b -> b.tableName(table)
                        .key(Map.of("model", s(model), SK, s(versionKey(version))))
                        .updateExpression("SET approval = :a").conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException notExpected) {
                return false;
            }
        });
    }

    @Override
    public boolean tag(String model, int version, String key, String value) {
        Map<String, AttributeValue> itemKey = Map.of("model", s(model), SK, s(versionKey(version)));
        return AwsCalls.call(dynamo, "tagging " + model + " v" + version, () -> {
            while (true) {
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(itemKey)
                            .updateExpression("SET #t.#k = :v").conditionExpression("attribute_exists(#t)")
                            .expressionAttributeNames(Map.of("#t", "tags", "#k", key))
                            .expressionAttributeValues(Map.of(":v", s(value))));
                    return true;
                } catch (ConditionalCheckFailedException noTagsYet) {
                    // The version does not exist, or it was registered before versions had tags.
                }
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(itemKey)
                            .updateExpression("SET #t = :m").conditionExpression("attribute_exists(sk) AND attribute_not_exists(#t)")
                            .expressionAttributeNames(Map.of("#t", "tags"))
                            .expressionAttributeValues(Map.of(":m", AttributeValue.fromM(Map.of(key, s(value))))));
                    return true;
                } catch (ConditionalCheckFailedException e) {
                    if (find(model, version).isEmpty()) {
                        return false;
                    }
                    // Someone else created the tags map meanwhile: set the key in it.
                }
            }
        });
    }

    /** The audit sort key: fixed-width time, so that string order is time order. */
    static String auditKey(Instant at) {
        return "audit#" + AUDIT_TIME.format(at) + "#" + UUID.randomUUID();
    }

    @Override
    public void audit(AuditEntry entry) {
        Map<String, AttributeValue> item = Items.of(entry);
        item.put(SK, s(auditKey(entry.at())));
        AwsCalls.run(dynamo, "auditing " + entry.action() + " of " + entry.model(),
                () -> dynamo.putItem(b -> b.tableName(auditTable).item(item)
                        .conditionExpression("attribute_not_exists(sk)")));
    }

    @Override
    public List<AuditEntry> auditTrail(String model) {
        return AwsCalls.call(dynamo, "reading the audit trail of " + model, () -> {
            List<AuditEntry> out = new ArrayList<>();
            for (var page : dynamo.queryPaginator(b -> b.tableName(auditTable).consistentRead(true)
                    .keyConditionExpression("model = :m AND begins_with(sk, :p)")
                    .expressionAttributeValues(Map.of(":m", s(model), ":p", s("audit#"))))) {
                page.items().forEach(i -> out.add(Items.to(i, AuditEntry.class, SK)));
            }
            return out;
        });
    }
}
