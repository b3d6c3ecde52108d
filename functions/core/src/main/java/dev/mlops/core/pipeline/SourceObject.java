package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;

/**
 * An uploaded object pinned by version id and content hash, so later steps read exactly what was
 * validated.
 *
 * @param bucket    the data bucket
 * @param key       the upload's key
 * @param versionId its S3 version id (null where versioning is off)
 * @param sha256    the sha256 of its bytes: the dataset version
 */
public record SourceObject(String bucket, String key, String versionId, String sha256) {

    public SourceObject {
        ContractException.required(bucket, "bucket");
        ContractException.required(key, "key");
        ContractException.required(sha256, "sha256");
    }
}
