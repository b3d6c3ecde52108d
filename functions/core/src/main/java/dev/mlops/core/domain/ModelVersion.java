package dev.mlops.core.domain;

import dev.mlops.core.model.ArtifactRef;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A registered model version. It exists whole or not at all: it is written only after its
 * artifacts were read back and their sha256 checked, in one conditional write that allocates the
 * number.
 *
 * @param model     model name
 * @param version   1, 2, ... without gaps
 * @param createdAt when it was registered
 * @param lineage   what it was made from
 * @param artifact  where its bytes are and what they hash to
 * @param training  how it was trained and scored
 * @param blessing  the verdict against the champion, with its reason
 * @param approval  its approval under a {@code manual} approval policy (null: none was needed)
 * @param tags      free key/value labels people attach (MLflow's version tags)
 */
public record ModelVersion(String model, int version, Instant createdAt, Lineage lineage, ArtifactRef artifact,
                           TrainingSummary training, Blessing blessing, Approval approval, Map<String, String> tags) {

    public ModelVersion {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(blessing, "blessing");
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** A version as the pipeline registers it: no approval yet, no tags. */
    public ModelVersion(String model, int version, Instant createdAt, Lineage lineage, ArtifactRef artifact,
                        TrainingSummary training, Blessing blessing) {
        this(model, version, createdAt, lineage, artifact, training, blessing, null, Map.of());
    }

    public boolean blessed() {
        return blessing.blessed();
    }

    /** The same version under a number (the registry allocates it). */
    public ModelVersion numbered(int number, Instant at) {
        return new ModelVersion(model, number, at, lineage, artifact, training, blessing, approval, tags);
    }

    /** The same version with another approval state. */
    public ModelVersion withApproval(Approval next) {
        return new ModelVersion(model, version, createdAt, lineage, artifact, training, blessing, next, tags);
    }

    /** The same version with one tag set. */
    public ModelVersion withTag(String key, String value) {
        Map<String, String> next = new TreeMap<>(tags);
        next.put(key, value);
        return new ModelVersion(model, version, createdAt, lineage, artifact, training, blessing, approval, next);
    }

    /** Whether its approval is {@code status}. */
    public boolean approvalIs(ApprovalStatus status) {
        return approval != null && approval.status() == status;
    }
}
