package dev.mlops.core.data;

import java.util.List;

/**
 * The validation report of one upload, as stored in {@code validation.json} and printed by the command line.
 *
 * @param dataset         dataset name ({@code null} when validated outside the pipeline)
 * @param version         the dataset version, SHA-256 of the bytes ({@code null} when the upload was not read)
 * @param sourceKey       the upload's key ({@code null} for a local file)
 * @param sourceVersionId the upload's S3 version id
 * @param status          {@code VALID}, {@code INVALID}, or {@code REJECTED} (refused before it was read)
 * @param valid           no anomaly is an error
 * @param bytes           size of the upload
 * @param rows            data rows read
 * @param columns         columns in the header
 * @param complete        whether the whole file was checked
 * @param schema          {@code inferred} (first upload), {@code accepted} (checked against the accepted schema) or
 *                        {@code given} (a schema file); {@code null} when no schema could be settled
 * @param errors          anomalies that are errors
 * @param warnings        anomalies that are warnings
 * @param anomalies       every anomaly, errors first
 * @param task            the dataset's task ({@code classification} or {@code regression}); null without a schema
 * @param taskReason      how the task was inferred, when nothing named it (null when it was named)
 */
public record DatasetReport(String dataset, String version, String sourceKey, String sourceVersionId, String status,
                            boolean valid, long bytes, long rows, int columns, boolean complete, String schema,
                            long errors, long warnings, List<Anomaly> anomalies, String task, String taskReason) {

    /** The report of a scan. */
    public static DatasetReport of(String dataset, String sourceKey, String sourceVersionId, DatasetScan scan,
                                   String schemaSource) {
        return new DatasetReport(dataset, scan.sha256(), sourceKey, sourceVersionId, scan.valid() ? "VALID" : "INVALID",
                scan.valid(), scan.bytes(), scan.rows(), scan.columns(), scan.complete(),
                scan.schema() == null ? null : schemaSource, scan.errors(), scan.warnings(), scan.anomalies(),
                scan.schema() == null ? null : scan.schema().task(), scan.taskReason());
    }

    /** The report of an upload refused before it was read. */
    public static DatasetReport rejected(String dataset, String sourceKey, String sourceVersionId, long bytes,
                                         Anomaly why) {
        return new DatasetReport(dataset, null, sourceKey, sourceVersionId, "REJECTED", false, bytes, 0, 0, false, null,
                1, 0, List.of(why), null, null);
    }

    /** Copies the anomalies. */
    public DatasetReport {
        anomalies = List.copyOf(anomalies);
    }
}
