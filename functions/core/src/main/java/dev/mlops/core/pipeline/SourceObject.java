package dev.mlops.core.pipeline;

import java.util.List;

import dev.mlops.core.errors.ContractException;

/**
 * An uploaded object pinned by version id and content hash, so later steps read exactly what was
 * validated.
 *
 * @param bucket    the data bucket
 * @param key       the upload's key
 * @param versionId its S3 version id (null where versioning is off)
 * @param sha256    the dataset version: the sha256 of its bytes, or for an upload validated in parts the hash of its
 *                  segments' hashes ({@link dev.mlops.core.data.PartHashes})
 * @param partEnds  for an upload validated in parts, the last byte of its header and of each part (null otherwise)
 */
public record SourceObject(String bucket, String key, String versionId, String sha256, List<Long> partEnds) {

    /** An upload read in one pass. */
    public SourceObject(String bucket, String key, String versionId, String sha256) {
        this(bucket, key, versionId, sha256, null);
    }

    public SourceObject {
        ContractException.required(bucket, "bucket");
        ContractException.required(key, "key");
        ContractException.required(sha256, "sha256");
        partEnds = partEnds == null ? null : List.copyOf(partEnds);
    }
}
