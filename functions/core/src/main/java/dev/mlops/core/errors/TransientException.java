package dev.mlops.core.errors;

/**
 * An outside system (object store, table, workflow engine) could not be reached or refused the
 * call for a reason a later attempt can fix: connection refused, timeout, throttling, a 5xx.
 * The message names the service and where it was called. Step Functions retries it
 * ({@code dev.mlops.core.errors.TransientException} in the ASL's {@code Retry}).
 */
public class TransientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
