package dev.mlops.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A serialised model.
 *
 * @param bytes      Tribuo protobuf serialisation of the model ({@code model.serialize().toByteArray()})
 * @param sha256     lower-case hex SHA-256 of {@code bytes}
 * @param modelClass class name recorded in the protobuf, e.g. {@code org.tribuo.transform.TransformedModel}
 */
public record ModelArtifact(byte[] bytes, String sha256, String modelClass) {

    /** Rejects nulls. */
    public ModelArtifact {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(modelClass, "modelClass");
    }

    /**
     * Builds an artifact computing the hash of the bytes.
     *
     * @param bytes      serialised model
     * @param modelClass model class name
     * @return the artifact
     */
    public static ModelArtifact of(byte[] bytes, String modelClass) {
        return new ModelArtifact(bytes.clone(), Sha256.hex(bytes), modelClass);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelArtifact a && Arrays.equals(bytes, a.bytes) && sha256.equals(a.sha256)
                && modelClass.equals(a.modelClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(bytes), sha256, modelClass);
    }

    @Override
    public String toString() {
        return "ModelArtifact[" + bytes.length + " bytes, sha256=" + sha256 + ", modelClass=" + modelClass + "]";
    }
}
