package dev.mlops.core.data;

/** A schema cannot be built for a table, for example because the label column does not exist. */
public class SchemaException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message human readable description
     */
    public SchemaException(String message) {
        super(message);
    }
}
