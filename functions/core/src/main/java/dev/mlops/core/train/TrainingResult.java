package dev.mlops.core.train;

import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;

/**
 * Everything a training run produces.
 *
 * @param artifact       the serialised model
 * @param signature      its input/output description
 * @param metrics        metrics on the held-out test rows
 * @param provenanceJson Tribuo's model provenance as a JSON object
 */
public record TrainingResult(ModelArtifact artifact, ModelSignature signature, Metrics metrics, String provenanceJson) {
}
