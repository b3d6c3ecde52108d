package dev.mlops.core.ports;

import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model versions, aliases, rollouts and the audit trail. Every write that can race is conditional: a
 * version number is allocated once, an alias moves only from the version the caller last saw, a rollout
 * changes only from the revision the caller last saw.
 */
public interface ModelRegistry {

    /** The alias that serves traffic. */
    String PRODUCTION = "production";

    /**
     * Registers a version under the next free number (its own number is ignored) and returns it
     * as stored. Two concurrent registrations never get the same number, and numbers have no gaps.
     */
    ModelVersion register(ModelVersion draft);

    Optional<ModelVersion> find(String model, int version);

    /** Every version of a model, oldest first. */
    List<ModelVersion> versions(String model);

    /** The version a run registered, if it registered one. */
    default Optional<ModelVersion> versionOfRun(String model, String runId) {
        return versions(model).stream().filter(v -> runId.equals(v.lineage().runId())).findFirst();
    }

    /** The version an alias points at. */
    Optional<Integer> alias(String model, String alias);

    /**
     * Points an alias at {@code version} if it still points at {@code expected} (null: the alias
     * must not exist yet).
     *
     * @return false when it points elsewhere: nothing was changed
     */
    boolean moveAlias(String model, String alias, int version, Integer expected);

    /** The model's rollout: the one under way, or the last one that ended; empty when it never had one. */
    Optional<Rollout> rollout(String model);

    /**
     * Writes a model's rollout if the stored one is still the revision before {@code next} ({@code next.revision()}
     * 1: the model must have none yet). Two deciders that read the same revision cannot both win, and an ended
     * rollout is replaced only by a write that read it.
     *
     * @return false when another write came first: nothing was changed
     */
    boolean putRollout(Rollout next);

    /** Every model that has the alias, with the version it points at. */
    Map<String, Integer> modelsWithAlias(String alias);

    /** Every model that has at least one version, by name. */
    List<String> models();

    /** Every version of every model that was trained on a dataset version, by model then version. */
    List<ModelVersion> versionsTrainedOn(String dataset, String datasetVersion);

    /**
     * Sets a version's approval if its approval status still is {@code expected} (null: the version
     * has no approval yet): two people deciding at once cannot both win.
     *
     * @return false when the version does not exist or its approval is not {@code expected}: nothing was changed
     */
    boolean setApproval(String model, int version, Approval approval, ApprovalStatus expected);

    /**
     * Sets one tag of a version (other tags are kept).
     *
     * @return false when the version does not exist
     */
    boolean tag(String model, int version, String key, String value);

    /** Appends to a model's audit trail: append-only, an entry is never replaced, changed or removed. */
    void audit(AuditEntry entry);

    /** A model's audit trail, oldest first. */
    List<AuditEntry> auditTrail(String model);
}
