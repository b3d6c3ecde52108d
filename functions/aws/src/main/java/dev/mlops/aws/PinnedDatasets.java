package dev.mlops.aws;

import dev.mlops.core.data.CsvFormatException;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.SourceObject;

import java.io.ByteArrayInputStream;

/** Reads a dataset exactly as it was validated: at its pinned S3 version, with its sha256 checked. */
public final class PinnedDatasets {

    private PinnedDatasets() {
    }

    /**
     * Loads and parses the pinned upload, so a later overwrite of the same key can never be
     * trained or evaluated on by mistake.
     */
    public static CsvTable load(S3ObjectStore store, SourceObject source) {
        if (!store.bucket().equals(source.bucket())) {
            throw new IllegalArgumentException("source bucket " + source.bucket() + " is not the data bucket");
        }
        byte[] bytes = store.get(source.key(), source.versionId()).bytes();
        String sha = Sha256.hex(bytes);
        if (!sha.equals(source.sha256())) {
            throw new IllegalStateException("s3://" + source.bucket() + "/" + source.key() + " has sha256 " + sha
                    + " but the validated version is " + source.sha256());
        }
        try {
            return CsvParser.parse(new ByteArrayInputStream(bytes), CsvLimits.DEFAULT);
        } catch (CsvFormatException e) {
            throw new IllegalStateException("validated dataset no longer parses: " + e.getMessage(), e);
        }
    }
}
