package dev.mlops.core.data;

import java.util.List;

/**
 * What one pass over an upload found: the validation verdict and its anomalies, the schema the upload was
 * checked against (inferred on a first upload), and the profile.
 *
 * @param valid     no anomaly is an {@link Severity#ERROR}
 * @param sha256    SHA-256 of the bytes (the dataset version), {@code null} for a table read from memory
 * @param bytes     size of the input in bytes (0 for a table in memory)
 * @param rows      data rows read (well-formed or not)
 * @param columns   columns in the header
 * @param complete  whether the whole file was checked (false: stopped at a quoting error or too many bad rows)
 * @param schema    the schema the rows were checked against, with what the values looked like when it was
 *                  inferred; {@code null} when none could be settled (no header, no label column)
 * @param inferred  whether {@link #schema()} was inferred from this upload
 * @param anomalies every problem found, errors first
 * @param profile   the profile of the well-formed rows, {@code null} without a schema
 * @param taskReason how the task was inferred, when no upload, config or schema named it (null otherwise)
 */
public record DatasetScan(boolean valid, String sha256, long bytes, long rows, int columns, boolean complete,
                          Schema schema, boolean inferred, List<Anomaly> anomalies, Profile profile,
                          String taskReason) {

    /** Copies the anomalies. */
    public DatasetScan {
        anomalies = List.copyOf(anomalies);
    }

    /** A scan whose task was given. */
    public DatasetScan(boolean valid, String sha256, long bytes, long rows, int columns, boolean complete,
                       Schema schema, boolean inferred, List<Anomaly> anomalies, Profile profile) {
        this(valid, sha256, bytes, rows, columns, complete, schema, inferred, anomalies, profile, null);
    }

    /** The same scan with one more error: invalid, the error first. */
    public DatasetScan refused(Anomaly error) {
        List<Anomaly> all = new java.util.ArrayList<>();
        all.add(error);
        all.addAll(anomalies);
        return new DatasetScan(false, sha256, bytes, rows, columns, complete, schema, inferred, all, profile,
                taskReason);
    }

    /** Number of anomalies that are errors. */
    public long errors() {
        return anomalies.stream().filter(Anomaly::error).count();
    }

    /** Number of anomalies that are warnings. */
    public long warnings() {
        return anomalies.size() - errors();
    }
}
