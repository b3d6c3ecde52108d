package dev.mlops.core.data;

import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.ports.ObjectStore;

import java.io.ByteArrayInputStream;

/** Reads a dataset exactly as it was validated: at its pinned version, with its sha256 checked. */
public final class PinnedDataset {

    private PinnedDataset() {
    }

    /**
     * Loads and parses the pinned upload, so a later overwrite of the same key can never be
     * trained or evaluated on by mistake.
     *
     * @throws IntegrityException when the upload is gone, changed or no longer parses
     */
    public static CsvTable load(ObjectStore store, SourceObject source) {
        if (!store.bucket().equals(source.bucket())) {
            throw new IntegrityException("source bucket " + source.bucket() + " is not the data bucket " + store.bucket());
        }
        byte[] bytes = store.find(source.key(), source.versionId())
                .orElseThrow(() -> new IntegrityException("the validated upload s3://" + source.bucket() + "/"
                        + source.key() + (source.versionId() == null ? "" : " (version " + source.versionId() + ")")
                        + " no longer exists"))
                .bytes();
        String sha = Sha256.hex(bytes);
        if (!sha.equals(source.sha256())) {
            throw new IntegrityException("s3://" + source.bucket() + "/" + source.key() + " has sha256 " + sha
                    + " but the validated version is " + source.sha256());
        }
        try {
            return CsvParser.parse(new ByteArrayInputStream(bytes), CsvLimits.DEFAULT);
        } catch (CsvFormatException e) {
            throw new IntegrityException("the validated upload no longer parses: " + e.getMessage());
        }
    }
}
