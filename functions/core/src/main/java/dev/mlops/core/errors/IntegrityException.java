package dev.mlops.core.errors;

/**
 * Stored bytes are not what the record that points at them says: an artifact is missing, or its
 * sha256 differs from the registered one. Nothing is registered, promoted or served from it.
 * Reaches Step Functions as {@code dev.mlops.core.errors.IntegrityException}.
 */
public class IntegrityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
