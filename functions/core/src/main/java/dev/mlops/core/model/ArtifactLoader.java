package dev.mlops.core.model;

import dev.mlops.core.Json;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.ModelIntegrityException;

import java.util.Optional;

/**
 * Loads a model's artifacts for scoring, checking them against the registry's record: the bytes
 * must exist and hash to the recorded sha256, the signature must be readable, and the model must
 * pass {@link Predictor#load}'s allow-list. Every way this can go wrong is a value the caller
 * handles ({@link Unavailable} with the reason), not an exception.
 */
public final class ArtifactLoader {

    /**
     * Where the artifacts' bytes are read from: the data bucket ({@code ObjectStore} is one), by key, at its
     * latest version. Reading what is not there is empty; a store that cannot be reached throws.
     */
    @FunctionalInterface
    public interface Source {

        /** The bytes stored at {@code key}, or empty. */
        Optional<byte[]> read(String key);
    }

    /** The outcome of loading. */
    public sealed interface Result permits Ready, Unavailable {
    }

    /** A model ready to score. */
    public record Ready(ModelSignature signature, Predictor predictor) implements Result {
    }

    /**
     * Why a model cannot be loaded.
     *
     * @param reason what a client of the API is told: the problem, without keys, checksums or class names
     * @param detail everything an operator needs (keys, both sha256 values, refused classes): for logs and the
     *               registry's own records, never for an HTTP body
     */
    public record Unavailable(String reason, String detail) implements Result {
    }

    private final Source store;

    public ArtifactLoader(Source store) {
        this.store = store;
    }

    /** Loads and checks the artifact; never returns null. */
    public Result load(ArtifactRef artifact) {
        Optional<byte[]> model = store.read(artifact.modelKey());
        if (model.isEmpty()) {
            return new Unavailable("its model file is missing", "artifact " + artifact.modelKey() + " is missing");
        }
        String actual = Sha256.hex(model.get());
        if (!actual.equals(artifact.sha256())) {
            return new Unavailable("its model file does not match the registry's checksum",
                    "artifact " + artifact.modelKey() + " has sha256 " + actual
                    + " but the registry records " + artifact.sha256());
        }
        Optional<byte[]> signatureObject = store.read(artifact.signatureKey());
        if (signatureObject.isEmpty()) {
            return new Unavailable("its signature is missing", "signature " + artifact.signatureKey() + " is missing");
        }
        ModelSignature signature;
        try {
            signature = Json.read(signatureObject.get(), ModelSignature.class);
        } catch (ContractException e) {
            return new Unavailable("its signature is unreadable",
                    "signature " + artifact.signatureKey() + " is unreadable: " + e.getMessage());
        }
        try {
            Predictor predictor = Predictor.load(new ModelArtifact(model.get(), artifact.sha256(),
                    artifact.modelClass()), signature);
            return new Ready(signature, predictor);
        } catch (ModelIntegrityException e) {
            return new Unavailable("its model file was refused by the safe loader",
                    "artifact " + artifact.modelKey() + " refused: " + e.getMessage());
        }
    }
}
