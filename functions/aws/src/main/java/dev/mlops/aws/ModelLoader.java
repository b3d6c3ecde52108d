package dev.mlops.aws;

import dev.mlops.aws.ModelRegistryStore.ModelVersion;
import dev.mlops.core.Json;
import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Predictor;

/**
 * Loads a registered model version for scoring. The sha256 comes from the registry, not from the
 * artifact's neighbourhood in S3, and {@link Predictor#load} refuses bytes that do not match it.
 */
public final class ModelLoader {

    /** A model ready to score, with the registry entry it came from. */
    public record LoadedModel(ModelVersion version, ModelSignature signature, Predictor predictor) {
    }

    private ModelLoader() {
    }

    public static LoadedModel load(S3ObjectStore store, ModelVersion v) {
        byte[] bytes = store.get(v.artifactKey(), null).bytes();
        ModelSignature signature = Json.read(store.get(v.signatureKey(), null).bytes(), ModelSignature.class);
        Predictor predictor = Predictor.load(new ModelArtifact(bytes, v.sha256(), v.modelClass()), signature);
        return new LoadedModel(v, signature, predictor);
    }
}
