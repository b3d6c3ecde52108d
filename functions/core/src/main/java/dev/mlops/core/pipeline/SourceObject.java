package dev.mlops.core.pipeline;

/** An uploaded object pinned by version id and content hash, so later steps read exactly what was validated. */
public record SourceObject(String bucket, String key, String versionId, String sha256) {
}
