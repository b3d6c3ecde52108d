package dev.mlops.aws;

import dev.mlops.core.Json;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The data bucket, as the functions use it: small documents and artifacts read and written whole. */
public final class S3ObjectStore {

    /** An object read whole, with what S3 says about it. */
    public record StoredObject(byte[] bytes, String versionId, Map<String, String> metadata) {
    }

    /** One listed key. */
    public record Listed(String key, long size, Instant lastModified) {
    }

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** Reads an object (a given version when {@code versionId} is non-null). */
    public StoredObject get(String key, String versionId) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (versionId != null && !versionId.isBlank() && !"null".equals(versionId)) {
            request.versionId(versionId);
        }
        ResponseBytes<GetObjectResponse> response = s3.getObjectAsBytes(request.build());
        return new StoredObject(response.asByteArray(), response.response().versionId(), response.response().metadata());
    }

    /** Reads an object if it exists. */
    public Optional<byte[]> find(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Size and metadata of an object, without its body. */
    public HeadObjectResponse head(String key, String versionId) {
        return s3.headObject(b -> {
            b.bucket(bucket).key(key);
            if (versionId != null && !versionId.isBlank() && !"null".equals(versionId)) {
                b.versionId(versionId);
            }
        });
    }

    /** Writes an object and returns its version id (null where versioning is off). */
    public String put(String key, byte[] bytes, String contentType) {
        PutObjectResponse response = s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(bytes));
        return response.versionId();
    }

    /** Writes a JSON document, indented for people who open it. */
    public String putJson(String key, Object document) {
        return put(key, Json.prettyBytes(document), "application/json");
    }

    /** Reads a JSON document if it exists. */
    public <T> Optional<T> findJson(String key, Class<T> type) {
        return find(key).map(bytes -> Json.read(bytes, type));
    }

    /** Copies an object within the bucket. */
    public void copy(String fromKey, String toKey) {
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey));
    }

    /** Every key under a prefix, in key order. */
    public List<Listed> list(String prefix) {
        return list(prefix, null);
    }

    /** The keys under a prefix that sort after {@code startAfter} (null: all), in key order. */
    public List<Listed> list(String prefix, String startAfter) {
        List<Listed> keys = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).startAfter(startAfter))) {
            for (S3Object object : page.contents()) {
                keys.add(new Listed(object.key(), object.size(), object.lastModified()));
            }
        }
        return keys;
    }
}
