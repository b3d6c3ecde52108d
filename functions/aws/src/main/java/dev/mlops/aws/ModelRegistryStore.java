package dev.mlops.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.mlops.aws.Items.item;
import static dev.mlops.aws.Items.s;

/**
 * The model registry (table ModelsTable: pk model, sk). Every write that can race is a conditional
 * single-item write (no transactions: the local emulator has none, and none are needed):
 * <ul>
 *   <li>{@code version#<10 digits>}: a model version; allocated with {@code attribute_not_exists},
 *       so two runs can never get the same number;</li>
 *   <li>{@code alias#<name>}: which version an alias (production) points at; moved only if it still
 *       points where the caller last saw it;</li>
 *   <li>{@code audit#<time>#<id>}: an append-only audit trail.</li>
 * </ul>
 */
public final class ModelRegistryStore {

    /** The alias that serves traffic. */
    public static final String PRODUCTION = "production";

    /** A registered model version. */
    public record ModelVersion(String model, int version, String status, boolean blessed, String reason,
                               String runId, String dataset, String datasetVersion, String label,
                               String algorithm, String artifactKey, String sha256, String modelClass,
                               String signatureKey, String metricsKey, String profileKey,
                               double accuracy, double macroF1, String createdAt) {
    }

    private static final int MAX_ALLOCATION_ATTEMPTS = 20;

    private final DynamoDbClient dynamo;
    private final String table;

    public ModelRegistryStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String versionKey(int version) {
        return String.format("version#%010d", version);
    }

    /** The highest version number of a model, 0 when it has none. */
    public int latestVersion(String model) {
        var items = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("model = :m AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":m", s(model), ":p", s("version#")))
                .scanIndexForward(false).limit(1)).items();
        return items.isEmpty() ? 0 : Items.integer(items.get(0), "version");
    }

    /**
     * Registers {@code draft} under the next free version number and returns the stored version.
     * The conditional put is the commit point: a version either exists whole or not at all.
     */
    public ModelVersion register(ModelVersion draft) {
        for (int attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
            int version = latestVersion(draft.model()) + 1;
            ModelVersion v = new ModelVersion(draft.model(), version, draft.status(), draft.blessed(), draft.reason(),
                    draft.runId(), draft.dataset(), draft.datasetVersion(), draft.label(), draft.algorithm(),
                    draft.artifactKey(), draft.sha256(), draft.modelClass(), draft.signatureKey(), draft.metricsKey(),
                    draft.profileKey(), draft.accuracy(), draft.macroF1(), Instant.now().toString());
            try {
                dynamo.putItem(b -> b.tableName(table).item(toItem(v))
                        .conditionExpression("attribute_not_exists(sk)"));
                return v;
            } catch (ConditionalCheckFailedException taken) {
                // Another run took this number between our query and our put: try the next one.
            }
        }
        throw new IllegalStateException("could not allocate a version of model " + draft.model()
                + " after " + MAX_ALLOCATION_ATTEMPTS + " attempts");
    }

    /** The version registered by a run, if that run already registered one (for idempotent retries). */
    public Optional<ModelVersion> versionOfRun(String model, String runId) {
        return versions(model).stream().filter(v -> runId.equals(v.runId())).findFirst();
    }

    public Optional<ModelVersion> version(String model, int version) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("model", s(model), "sk", s(versionKey(version))))).item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(fromItem(i));
    }

    /** All versions of a model, oldest first. */
    public List<ModelVersion> versions(String model) {
        List<ModelVersion> out = new ArrayList<>();
        for (var page : dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("model = :m AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":m", s(model), ":p", s("version#"))))) {
            page.items().forEach(i -> out.add(fromItem(i)));
        }
        return out;
    }

    /** The version an alias points at. */
    public Optional<Integer> alias(String model, String alias) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("model", s(model), "sk", s("alias#" + alias)))).item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(Items.integer(i, "version"));
    }

    /**
     * Points an alias at {@code version} if it still points at {@code expected} (null: the alias must
     * not exist yet).
     *
     * @return false when someone moved the alias first; the caller decides again
     */
    public boolean moveAlias(String model, String alias, int version, Integer expected) {
        try {
            dynamo.putItem(b -> {
                b.tableName(table).item(item("model", model, "sk", "alias#" + alias, "alias", alias,
                        "version", version, "updated_at", Instant.now().toString()));
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
    }

    /** Every model that has the alias, with the version it points at. */
    public Map<String, Integer> modelsWithAlias(String alias) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (var page : dynamo.scanPaginator(b -> b.tableName(table)
                .filterExpression("sk = :a")
                .expressionAttributeValues(Map.of(":a", s("alias#" + alias))))) {
            page.items().forEach(i -> out.put(Items.str(i, "model"), Items.integer(i, "version")));
        }
        return out;
    }

    /** Appends an audit entry. */
    public void audit(String model, String action, String detail) {
        String now = Instant.now().toString();
        dynamo.putItem(b -> b.tableName(table).item(item("model", model, "sk", "audit#" + now + "#" + UUID.randomUUID(),
                "action", action, "detail", detail, "at", now)));
    }

    private static Map<String, AttributeValue> toItem(ModelVersion v) {
        return item("model", v.model(), "sk", versionKey(v.version()), "version", v.version(), "status", v.status(),
                "blessed", v.blessed(), "reason", v.reason(), "run_id", v.runId(), "dataset", v.dataset(),
                "dataset_version", v.datasetVersion(), "label", v.label(), "algorithm", v.algorithm(),
                "artifact_key", v.artifactKey(), "sha256", v.sha256(), "model_class", v.modelClass(),
                "signature_key", v.signatureKey(), "metrics_key", v.metricsKey(), "profile_key", v.profileKey(),
                "accuracy", v.accuracy(), "macro_f1", v.macroF1(), "created_at", v.createdAt());
    }

    private static ModelVersion fromItem(Map<String, AttributeValue> i) {
        return new ModelVersion(Items.str(i, "model"), Items.integer(i, "version"), Items.str(i, "status"),
                Boolean.TRUE.equals(Items.bool(i, "blessed")), Items.str(i, "reason"), Items.str(i, "run_id"),
                Items.str(i, "dataset"), Items.str(i, "dataset_version"), Items.str(i, "label"),
                Items.str(i, "algorithm"), Items.str(i, "artifact_key"), Items.str(i, "sha256"),
                Items.str(i, "model_class"), Items.str(i, "signature_key"), Items.str(i, "metrics_key"),
                Items.str(i, "profile_key"), Items.dbl(i, "accuracy"), Items.dbl(i, "macro_f1"),
                Items.str(i, "created_at"));
    }
}
