package dev.mlops.core.domain;

import dev.mlops.core.Layout;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of one upload, recorded for every upload the trigger delivers, whatever happened to it:
 * {@code ./mlops upload --wait} and {@code ./mlops datasets show} read it. An upload is one version of one
 * object, so it is keyed by the object's key and its S3 version id ({@value #UNVERSIONED} for an object
 * without one, S3's own name for it): a rejected upload has no content version (it was never read), and the
 * same bytes uploaded twice are two uploads of one dataset version.
 *
 * @param key            the object's key (URL-decoded), under {@code incoming/}
 * @param versionId      its S3 version id, or {@value #UNVERSIONED}
 * @param dataset        the folder under {@code incoming/} (the dataset, when its name is valid)
 * @param status         what became of it
 * @param reason         a sentence for people: why it was refused, what it duplicates, what failed (null when VALID)
 * @param datasetVersion the sha256 of its bytes, when they were read
 * @param model          the model it trains (VALID), or the model the earlier run trained (DUPLICATE)
 * @param runId          the pipeline run it started (VALID), or the earlier run of the same bytes (DUPLICATE)
 * @param modelVersion   the model version that run registered, when it had got that far (DUPLICATE)
 * @param reportKey      the validation report, when there is one
 * @param reportHtmlKey  the validation report as a web page, when there is one
 * @param attempts       delivery attempts that failed before this outcome (0 when the first one settled it)
 * @param recordedAt     when this outcome was recorded
 */
public record UploadOutcome(String key, String versionId, String dataset, UploadStatus status, String reason,
                            String datasetVersion, String model, String runId, Integer modelVersion, String reportKey,
                            String reportHtmlKey, int attempts, Instant recordedAt) {

    /** The version id of an object stored without versioning, as S3 names it. */
    public static final String UNVERSIONED = "null";

    public UploadOutcome {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(recordedAt, "recordedAt");
        versionId = versionId == null || versionId.isBlank() ? UNVERSIONED : versionId;
    }

    /**
     * An upload whose delivery failed ({@link UploadStatus#RETRYING}, {@link UploadStatus#FAILED_DELIVERY}): nothing
     * was concluded from its bytes, so only the reason and the attempts are known.
     */
    public static UploadOutcome undelivered(String key, String versionId, UploadStatus status, String reason,
                                            int attempts, Instant at) {
        if (!status.replaceable()) {
            throw new IllegalArgumentException(status + " is concluded from an upload's bytes, not its delivery");
        }
        return new UploadOutcome(key, versionId, Layout.uploadFolder(key), status, reason, null, null,
                null, null, null, null, attempts, at);
    }

    /** This outcome after {@code attempts} failed attempts. */
    public UploadOutcome withAttempts(int failedAttempts) {
        return new UploadOutcome(key, versionId, dataset, status, reason, datasetVersion, model, runId, modelVersion,
                reportKey, reportHtmlKey, failedAttempts, recordedAt);
    }
}
