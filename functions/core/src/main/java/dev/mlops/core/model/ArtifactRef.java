package dev.mlops.core.model;

import java.util.Objects;

/**
 * Where a model's artifacts are and what they must hash to. The sha256 comes from the registry,
 * not from the artifact's neighbourhood, and is checked before anything is loaded.
 *
 * @param modelKey      the Tribuo protobuf model
 * @param sha256        its sha256
 * @param modelClass    the model class recorded in the protobuf
 * @param signatureKey  the signature (features, types, classes)
 * @param metricsKey    the candidate's metrics
 * @param provenanceKey Tribuo's provenance as JSON
 */
public record ArtifactRef(String modelKey, String sha256, String modelClass, String signatureKey, String metricsKey,
                          String provenanceKey) {

    public ArtifactRef {
        Objects.requireNonNull(modelKey, "modelKey");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(modelClass, "modelClass");
        Objects.requireNonNull(signatureKey, "signatureKey");
    }
}
