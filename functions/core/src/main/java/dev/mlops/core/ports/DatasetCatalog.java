package dev.mlops.core.ports;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;

import java.util.List;
import java.util.Optional;

/** Dataset versions and their validation outcome, and what became of every upload. */
public interface DatasetCatalog {

    /** Records a version unless it is already recorded (first write wins); false for a duplicate. */
    boolean record(DatasetVersion version);

    Optional<DatasetVersion> find(String dataset, String version);

    /** Every version of a dataset, oldest first. */
    List<DatasetVersion> versions(String dataset);

    /** The names of every dataset with a recorded version, sorted. */
    List<String> datasets();

    /**
     * Records what became of an upload ({@link UploadOutcome#key()}, {@link UploadOutcome#versionId()}). What was
     * concluded from the bytes (VALID, INVALID, REJECTED, DUPLICATE) is written once: a later outcome for the same
     * upload changes nothing. A RETRYING or FAILED_DELIVERY outcome is replaced by whatever comes next.
     *
     * @return false when the upload already had an outcome that cannot be replaced: nothing was changed
     */
    boolean recordUpload(UploadOutcome outcome);

    /** The outcome of one upload ({@code versionId} null: an object without versioning). */
    Optional<UploadOutcome> findUpload(String key, String versionId);

    /** Every recorded upload into {@code incoming/<dataset>/}, oldest first. */
    List<UploadOutcome> uploads(String dataset);
}
