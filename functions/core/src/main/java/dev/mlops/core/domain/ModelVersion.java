package dev.mlops.core.domain;

import java.time.Instant;
import java.util.Objects;

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
 */
public record ModelVersion(String model, int version, Instant createdAt, Lineage lineage, ArtifactRef artifact,
                           TrainingSummary training, Blessing blessing) {

    public ModelVersion {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(blessing, "blessing");
    }

    public boolean blessed() {
        return blessing.blessed();
    }

    /** The same version under a number (the registry allocates it). */
    public ModelVersion numbered(int number, Instant at) {
        return new ModelVersion(model, number, at, lineage, artifact, training, blessing);
    }
}
