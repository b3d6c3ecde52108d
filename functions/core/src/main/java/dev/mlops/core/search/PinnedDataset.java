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

import java.io.FilterInputStream;
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

    /**
     * The header and the first {@code maxRows} lines of the pinned upload, for what needs a bounded sample of a
     * dataset of any size (the registered version's permutation importance, which measures at most 1,000 test
     * rows, the first ones by row hash: the same rows whichever size the sample, once it holds them). Read at its
     * pinned S3 version, which no later upload changes; the sha256 is not checked (that needs every byte). A line
     * break inside a quoted field ends the sample there, which may leave it unparseable.
     *
     * @throws IntegrityException when the upload is gone, or its first lines do not parse
     */
    public static CsvTable head(ObjectStore store, SourceObject source, int maxRows) {
        if (!store.bucket().equals(source.bucket())) {
            throw new IntegrityException("source bucket " + source.bucket() + " is not the data bucket " + store.bucket());
        }
        try (InputStream in = new FirstLines(store.open(source.key(), source.versionId())
                .orElseThrow(() -> new IntegrityException("the validated upload s3://" + source.bucket() + "/"
                        + source.key() + " no longer exists")), maxRows + 1L)) {
            return CsvParser.parse(in, CsvLimits.VALIDATED);
        } catch (CsvFormatException e) {
            throw new IntegrityException("the first " + maxRows + " rows of the validated upload could not be read: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new TransientException("reading s3://" + source.bucket() + "/" + source.key() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Ends after a number of line breaks (the rest of the object is never read). */
    private static final class FirstLines extends FilterInputStream {
        private long linesLeft;

        FirstLines(InputStream in, long lines) {
            super(in);
            this.linesLeft = lines;
        }

        @Override
        public int read() throws IOException {
            if (linesLeft <= 0) {
                return -1;
            }
            int b = super.read();
            if (b == '\n') {
                linesLeft--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (linesLeft <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, length);
            for (int i = 0; i < n; i++) {
                if (buffer[offset + i] == '\n' && --linesLeft == 0) {
                    return i + 1;
                }
            }
            return n;
        }
    }
}
