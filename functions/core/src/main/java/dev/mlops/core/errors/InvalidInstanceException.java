package dev.mlops.core.errors;

/**
 * An instance of a prediction request breaks the model's signature (an unknown field, a value of the wrong
 * kind, nothing the model can use): a {@link ContractException} of the caller's making. The message names
 * the instance and field, for example {@code instances[2].petal_width_cm: expected a number, got "abc"}.
 */
public class InvalidInstanceException extends ContractException {

    private static final long serialVersionUID = 1L;

    private final int index;
    private final String field;

    /**
     * Creates the exception for a problem with one instance (or the whole request when {@code index} is -1).
     *
     * @param index  0-based instance index, -1 for the request as a whole
     * @param field  field name, or {@code null} if the problem is not tied to one field
     * @param detail what is wrong
     */
    public InvalidInstanceException(int index, String field, String detail) {
        super(prefix(index, field) + detail);
        this.index = index;
        this.field = field;
    }

    private static String prefix(int index, String field) {
        if (index < 0) {
            return "instances: ";
        }
        return "instances[" + index + "]" + (field == null ? "" : "." + field) + ": ";
    }

    /**
     * The offending instance.
     *
     * @return 0-based index, or -1 if the problem concerns the whole request
     */
    public int index() {
        return index;
    }

    /**
     * The offending field.
     *
     * @return field name, or {@code null}
     */
    public String field() {
        return field;
    }
}
