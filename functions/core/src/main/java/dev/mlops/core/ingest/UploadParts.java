package dev.mlops.core.ingest;

import dev.mlops.core.pipeline.PartedUpload;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvParts;
import dev.mlops.core.data.DatasetScan;
import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.data.DigestingInputStream;
import dev.mlops.core.data.PartHashes;
import dev.mlops.core.data.PartScan;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ports.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps of the upload-validation state machine, for an upload too large for one pass ({@link PartedUpload},
 * planned by {@link IngestionService}):
 * <ol>
 *   <li>{@link #scanPart}: one part (a Distributed Map item), read with a range GET, scanned against the settled
 *       schema ({@link DatasetScanner#scanPart}) and hashed; its scan is written under the part's own key, the same
 *       bytes on a retry, so a part scanned twice is merged once.</li>
 *   <li>{@link #merge}: the parts' scans added up in file order ({@link DatasetScanner.Merge}) into the scan one
 *       pass gives, then concluded exactly as one pass is ({@link IngestionService#concludeInParts}: the report, the
 *       profile, the dataset version, the training pipeline).</li>
 *   <li>{@link #failed}: why validating it failed, on the upload's record.</li>
 * </ol>
 *
 * <p><b>The dataset version stays content-addressed.</b> One pass names a dataset version by the SHA-256 of the
 * file; no worker sees the whole file here, so the version is the SHA-256 of the header line's SHA-256 and every
 * part's, in file order ({@link PartHashes}): a hash list, as collision-resistant as SHA-256 itself; training
 * checks it again as it reads the file. The same bytes
 * uploaded again are cut into the same parts (the cut depends only on the bytes and {@code VALIDATION_PART_BYTES})
 * and get the same version, so a repeated big upload is a DUPLICATE as a repeated small one is. The same bytes
 * read in one pass (under the threshold, or with other part settings) get another version: the threshold decides by
 * size alone, so that happens only when the template's settings change.
 */
public final class UploadParts {

    /**
     * What the scan of one part left for the merge (the map item's result; the scan itself is in S3).
     *
     * @param part    the part's index
     * @param rows    data rows read
     * @param bytes   bytes read
     * @param sha256  SHA-256 of the part's bytes
     * @param scanKey where its scan is
     */
    public record PartScanned(int part, long rows, long bytes, String sha256, String scanKey) {
    }

    /** A part's scan as it is stored: with its bytes' hash, count and last byte, which the merge needs. */
    record StoredScan(String sha256, long bytes, long last, PartScan scan) {
    }

    private final ObjectStore store;
    private final IngestionService ingestion;

    public UploadParts(ObjectStore store, IngestionService ingestion) {
        this.store = store;
        this.ingestion = ingestion;
    }

    /**
     * Scans one part of an upload and writes its scan.
     *
     * @throws TransientException when the bytes read are not the part's (the object changed or the read was cut)
     */
    public PartScanned scanPart(PartedUpload upload, CsvParts.Part part) {
        ContractException.required(part, "part");
        String scanKey = Layout.uploadPartScan(upload.dataset(), upload.id(), part.part());
        Optional<InputStream> range = store.openRange(upload.key(), upload.versionId(), part.first(), part.last());
        if (range.isEmpty()) {
            throw new ContractException("s3://" + store.bucket() + "/" + upload.key() + " version " + upload.versionId()
                    + " is gone: its part " + part.part() + " cannot be read");
        }
        PartScan scan;
        String sha;
        long read;
        try (DigestingInputStream in = new DigestingInputStream(range.get())) {
            scan = DatasetScanner.scanPart(in, part.part(), upload.settled(), upload.config().validation());
            // The scan reads its range to the end; whatever it left is hashed and counted too.
            in.drain();
            read = in.count();
            sha = in.sha256();
        } catch (IOException e) {
            throw new TransientException("reading part " + part.part() + " of s3://" + store.bucket() + "/"
                    + upload.key() + " failed: " + e.getMessage(), e);
        }
        if (read != part.bytes()) {
            throw new TransientException("part " + part.part() + " of s3://" + store.bucket() + "/" + upload.key()
                    + " is " + part.bytes() + " bytes, " + read + " were read", null);
        }
        store.put(scanKey, Json.bytes(new StoredScan(sha, read, part.last(), scan)), "application/json");
        return new PartScanned(part.part(), scan.rows(), read, sha, scanKey);
    }

    /**
     * Merges the parts' scans, in file order, and concludes the upload as one pass does; when the parts cannot give
     * one pass's answer ({@link DatasetScanner.Merge#finish} is empty), {@link IngestionService#concludeInOnePass}.
     *
     * @throws TransientException when a part's scan is missing (the map ended before every part was written)
     */
    public IngestionService.Outcome merge(PartedUpload upload) {
        DatasetScanner.Merge merge = new DatasetScanner.Merge(upload.settled(), upload.config().validation());
        List<String> hashes = new ArrayList<>(List.of(upload.headerSha256()));
        List<Long> ends = new ArrayList<>(List.of(upload.headerLast()));
        long bytes = upload.headerLast() + 1;
        for (int i = 0; i < upload.parts(); i++) {
            String key = Layout.uploadPartScan(upload.dataset(), upload.id(), i);
            int part = i;
            StoredScan stored = store.findJson(key, StoredScan.class).orElseThrow(() -> new TransientException(
                    "the scan of part " + part + " of " + upload.key() + " is missing (" + key + ")", null));
            merge.add(stored.scan());
            hashes.add(stored.sha256());
            ends.add(stored.last());
            bytes += stored.bytes();
        }
        if (bytes != upload.bytes()) {
            throw new ContractException("the parts of " + upload.key() + " add up to " + bytes + " bytes, the upload has "
                    + upload.bytes());
        }
        Optional<DatasetScan> merged = merge.finish(PartHashes.version(hashes), upload.bytes());
        return merged.isPresent()
                ? ingestion.concludeInParts(upload, merged.get(), ends)
                : ingestion.concludeInOnePass(upload, merge.inexact());
    }

    /** Records why validating an upload in parts failed (the state machine's error and cause). */
    public IngestionService.Outcome failed(PartedUpload upload, String error, String cause) {
        return ingestion.failedInParts(upload, error, cause);
    }
}
