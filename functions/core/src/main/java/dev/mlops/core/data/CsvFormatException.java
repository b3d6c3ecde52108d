package dev.mlops.core.data;

/**
 * A CSV file could not be parsed; the message is meant for the person who uploaded the file and names the
 * 1-based line on which the problem was detected.
 */
public class CsvFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * Creates the exception.
     *
     * @param line    1-based physical line number the problem refers to (0 if not tied to a line)
     * @param message human readable description
     */
    public CsvFormatException(int line, String message) {
        super(message);
        this.line = line;
    }

    /**
     * The 1-based line number the problem refers to.
     *
     * @return the line number, 0 if the problem concerns the whole file
     */
    public int line() {
        return line;
    }
}
