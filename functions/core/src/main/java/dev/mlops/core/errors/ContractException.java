package dev.mlops.core.errors;

/**
 * A payload, event, document or configuration breaks one of the project's own contracts: an
 * unknown or missing field, a malformed name, an action that does not apply to the record it
 * names. Retrying cannot fix it. Reaches Step Functions as {@code dev.mlops.core.errors.ContractException}.
 */
public class ContractException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Returns {@code value} when present.
     *
     * @param value the field's value
     * @param field the field's name as it appears in JSON (snake_case)
     * @throws ContractException naming the field when the value is null (or a blank string)
     */
    public static <T> T required(T value, String field) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new ContractException("missing field \"" + field + "\"");
        }
        return value;
    }
}
