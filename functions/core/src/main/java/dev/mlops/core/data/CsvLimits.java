package dev.mlops.core.data;

/**
 * Resource limits applied while parsing a CSV file, so a hostile or accidental upload cannot exhaust memory.
 *
 * @param maxBytes   maximum size of the input in bytes (including the header)
 * @param maxRows    maximum number of data rows (header excluded)
 * @param maxColumns maximum number of columns
 */
public record CsvLimits(long maxBytes, long maxRows, int maxColumns) {

    /** 100 MiB, 5,000,000 rows, 1,000 columns. */
    public static final CsvLimits DEFAULT = new CsvLimits(100L * 1024 * 1024, 5_000_000L, 1_000);

    /** Only the parser's own field cap: for an upload that already passed ingest's limits (training reads it again). */
    public static final CsvLimits VALIDATED = new CsvLimits(Long.MAX_VALUE, Integer.MAX_VALUE, Row.MAX_FIELDS);

    /** Rejects non-positive limits. */
    public CsvLimits {
        if (maxBytes <= 0 || maxRows <= 0 || maxColumns <= 0) {
            throw new IllegalArgumentException("CSV limits must be positive: " + maxBytes + ", " + maxRows + ", " + maxColumns);
        }
    }
}
