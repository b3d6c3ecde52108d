package dev.mlops.core.model;

/**
 * A model artifact was refused: its bytes do not match the recorded SHA-256, it is not a Tribuo model
 * protobuf, its model class is not allow-listed, or it does not match its signature.
 */
public class ModelIntegrityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public ModelIntegrityException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong
     * @param cause   underlying failure
     */
    public ModelIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
