package dev.mlops.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a dataset: the content of one upload (its sha256 is the version) and what
 * validation concluded about it. Written once: a duplicate upload finds it already there.
 *
 * @param dataset         dataset name
 * @param version         sha256 of the uploaded bytes
 * @param status          validation outcome
 * @param rows            data rows read
 * @param columns         columns in the header
 * @param label           label column (null when no schema could be settled)
 * @param sourceKey       the upload's key under {@code incoming/}
 * @param sourceVersionId the upload's S3 version id (pins exactly what was validated)
 * @param reportKey       validation report
 * @param profileKey      profile (null when invalid)
 * @param schemaKey       the schema this version was validated against (null when invalid)
 * @param createdAt       when it was recorded
 * @param reportHtmlKey   the validation report as a web page (null for versions recorded before it existed)
 * @param errors          anomalies that are errors (null for versions recorded before anomalies existed)
 * @param warnings        anomalies that are warnings (idem)
 */
public record DatasetVersion(String dataset, String version, DatasetStatus status, long rows, int columns,
                             String label, String sourceKey, String sourceVersionId, String reportKey,
                             String profileKey, String schemaKey, Instant createdAt, String reportHtmlKey,
                             Integer errors, Integer warnings) {

    public DatasetVersion {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A version without the report page and anomaly counts (as recorded before they existed). */
    public DatasetVersion(String dataset, String version, DatasetStatus status, long rows, int columns,
                          String label, String sourceKey, String sourceVersionId, String reportKey,
                          String profileKey, String schemaKey, Instant createdAt) {
        this(dataset, version, status, rows, columns, label, sourceKey, sourceVersionId, reportKey, profileKey,
                schemaKey, createdAt, null, null, null);
    }

    public boolean valid() {
        return status == DatasetStatus.VALID;
    }
}
