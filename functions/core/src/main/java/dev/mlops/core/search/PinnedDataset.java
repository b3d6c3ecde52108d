package dev.mlops.core.search;

import dev.mlops.core.data.CsvFormatException;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.PartHashes;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.ports.ObjectStore;

import java.io.IOException;
import java.io.InputStream;

/** Reads a dataset exactly as it was validated: at its pinned version, with its sha256 checked. */
public final class PinnedDataset {

    private PinnedDataset() {
    }

    /**
     * Streams and parses the pinned upload (hashing it on the way, never holding its bytes), so a later
     * overwrite of the same key can never be trained or evaluated on by mistake. The table keeps its cells
     * compactly (as {@link CsvParser} does). No size limit of its own: the upload passed ingest's.
     *
     * @throws IntegrityException when the upload is gone, changed or no longer parses
     */
    public static CsvTable load(ObjectStore store, SourceObject source) {
        if (!store.bucket().equals(source.bucket())) {
            throw new IntegrityException("source bucket " + source.bucket() + " is not the data bucket " + store.bucket());
        }
        CsvParser.Hashed read;
        String version;
        try (InputStream opened = store.open(source.key(), source.versionId())
                .orElseThrow(() -> new IntegrityException("the validated upload s3://" + source.bucket() + "/"
                        + source.key() + (source.versionId() == null ? "" : " (version " + source.versionId() + ")")
                        + " no longer exists"));
             // An upload validated in parts is addressed by its segments' hashes: computed again on the way.
             InputStream in = source.partEnds() == null ? opened : new PartHashes.Reader(opened, source.partEnds())) {
            read = CsvParser.read(in, CsvLimits.VALIDATED);
            version = in instanceof PartHashes.Reader parts ? parts.version() : read.sha256();
        } catch (CsvFormatException e) {
            throw new IntegrityException("the validated upload could not be read: " + e.getMessage());
        } catch (IOException e) {
            throw new TransientException("reading s3://" + source.bucket() + "/" + source.key() + " failed: "
                    + e.getMessage(), e);
        }
        if (!version.equals(source.sha256())) {
            throw new IntegrityException("s3://" + source.bucket() + "/" + source.key() + " has sha256 " + version
                    + " but the validated version is " + source.sha256());
        }
        if (read.failure() != null) {
            throw new IntegrityException("the validated upload no longer parses: " + read.failure().getMessage());
        }
        return read.table();
    }
}
