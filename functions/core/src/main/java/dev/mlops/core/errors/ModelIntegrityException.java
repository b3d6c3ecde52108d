package dev.mlops.core.errors;

/**
 * A model artifact was refused: its bytes do not match the recorded SHA-256, it is not a Tribuo model
 * protobuf, its model class is not allow-listed, or it does not match its signature. Stored bytes that are
 * not what their record promises, so an {@link IntegrityException}: nothing is registered, promoted or served
 * from it.
 */
public class ModelIntegrityException extends IntegrityException {

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
