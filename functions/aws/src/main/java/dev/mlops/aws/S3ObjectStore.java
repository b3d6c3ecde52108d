package dev.mlops.aws;

import dev.mlops.core.TaskFailures;
import dev.mlops.core.ports.ObjectStore;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;


import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** {@link ObjectStore} on an S3 bucket. */
public final class S3ObjectStore implements ObjectStore {

    /** S3's smallest part of a multipart upload, but for the last. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** Server-side part copies in flight at once while joining objects. */
    static final int COPIES_AT_ONCE = 4;

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<StoredObject> find(String key, String versionId) {
        return absentIfNotFound("reading s3://" + bucket + "/" + key, () -> {
            ResponseBytes<GetObjectResponse> response = s3.getObjectAsBytes(get(key, versionId));
            return new StoredObject(response.asByteArray(), response.response().versionId(),
                    response.response().metadata());
        });
    }

    @Override
    public Optional<InputStream> open(String key, String versionId) {
        return absentIfNotFound("opening s3://" + bucket + "/" + key, () -> {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(get(key, versionId));
            return stream;
        });
    }

    @Override
    public Optional<InputStream> openRange(String key, String versionId, long firstByte, long lastByte) {
        return absentIfNotFound("reading bytes " + firstByte + "-" + lastByte + " of s3://" + bucket + "/" + key, () -> {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(get(key, versionId).toBuilder()
                    .range("bytes=" + firstByte + "-" + lastByte).build());
            return stream;
        });
    }

    @Override
    public Optional<ObjectInfo> head(String key, String versionId) {
        return absentIfNotFound("reading the head of s3://" + bucket + "/" + key, () -> {
            HeadObjectResponse r = s3.headObject(b -> {
                b.bucket(bucket).key(key);
                if (hasVersion(versionId)) {
                    b.versionId(versionId);
                }
            });
            return new ObjectInfo(key, r.contentLength(), r.lastModified(), r.versionId(), r.metadata());
        });
    }

    @Override
    public String put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        return AwsCalls.call(s3, "writing s3://" + bucket + "/" + key, () -> s3.putObject(
                b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata),
                RequestBody.fromBytes(bytes)).versionId());
    }

    @Override
    public void copy(String fromKey, String toKey) {
        AwsCalls.run(s3, "copying s3://" + bucket + "/" + fromKey, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey)));
    }

    /**
     * Joins objects in one multipart upload, one request at a time: a source of 5 MiB or more that starts a part is
     * copied where it is (UploadPartCopy: its bytes do not pass through this process); smaller ones are read, one
     * after the other, into a buffer sent as a part once it holds 5 MiB (S3's smallest part but the last), or at the
     * end. Never two requests at once: a streamed body read from other GETs while its PUT is open deadlocks a
     * one-request-at-a-time S3 (moto's server, as the local tests run it). A join that fails midway leaves an
     * incomplete upload (never an object) to the bucket's lifecycle rule (AbortIncompleteMultipartUpload): no
     * function may delete.
     */
    /**
     * Joined by one multipart upload: a source of at least S3's smallest part is copied in place as a part of its
     * own ({@code UploadPartCopy}, {@value #COPIES_AT_ONCE} at once: each is a server-side copy, and one after the
     * other left the store's other cores idle while the job waited), smaller ones are read through here and sent
     * together once they make a part.
     */
    @Override
    public String concat(String key, List<String> sources, String contentType) {
        if (sources.isEmpty()) {
            return put(key, new byte[0], contentType);
        }
        String what = "joining " + sources.size() + " objects into s3://" + bucket + "/" + key;
        String upload = AwsCalls.call(s3, what, () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType(contentType)).uploadId());
        List<Future<CompletedPart>> parts = new ArrayList<>(sources.size());
        ExecutorService copies = Executors.newFixedThreadPool(COPIES_AT_ONCE, r -> {
            Thread t = new Thread(r, "s3-part-copy");
            t.setDaemon(true);
            return t;
        });
        try {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            for (String source : sources) {
                long size = head(source, null).orElseThrow(() -> new IllegalStateException(source + " is missing"))
                        .size();
                if (buffer.size() == 0 && size >= MIN_PART_BYTES) {
                    int number = parts.size() + 1;
                    parts.add(copies.submit(() -> copyPart(what, key, upload, number, source)));
                    continue;
                }
                byte[] bytes = find(source, null).orElseThrow(() -> new IllegalStateException(source + " is missing"))
                        .bytes();
                buffer.writeBytes(bytes);
                if (buffer.size() >= MIN_PART_BYTES) {
                    parts.add(CompletableFuture.completedFuture(uploadPart(what, key, upload, parts.size() + 1,
                            buffer.toByteArray())));
                    buffer.reset();
                }
            }
            if (buffer.size() > 0) {
                parts.add(CompletableFuture.completedFuture(uploadPart(what, key, upload, parts.size() + 1,
                        buffer.toByteArray())));
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (Future<CompletedPart> part : parts) {
                completed.add(part.get());
            }
            return AwsCalls.call(s3, what, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                    .uploadId(upload).multipartUpload(m -> m.parts(completed))).versionId());
        } catch (ExecutionException e) {
            throw new UncheckedIOException(TaskFailures.rethrown(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        } finally {
            copies.shutdownNow();
        }
    }

    private CompletedPart copyPart(String what, String key, String upload, int number, String source) {
        String etag = AwsCalls.call(s3, what, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(source)
                .destinationBucket(bucket).destinationKey(key).uploadId(upload).partNumber(number))
                .copyPartResult().eTag());
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private CompletedPart uploadPart(String what, String key, String upload, int number, byte[] bytes) {
        String etag = AwsCalls.call(s3, what, () -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload)
                .partNumber(number).contentLength((long) bytes.length), RequestBody.fromBytes(bytes)).eTag());
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter) {
        return AwsCalls.call(s3, "listing s3://" + bucket + "/" + prefix, () -> {
            List<ObjectInfo> keys = new ArrayList<>();
            // encoding-type=url: S3 (and S3Mock) can return any key, control characters included.
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).startAfter(startAfter)
                    .encodingType("url"))) {
                for (S3Object object : page.contents()) {
                    keys.add(new ObjectInfo(object.key(), object.size(), object.lastModified(), null, Map.of()));
                }
            }
            return keys;
        });
    }

    private GetObjectRequest get(String key, String versionId) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (hasVersion(versionId)) {
            request.versionId(versionId);
        }
        return request.build();
    }

    private static boolean hasVersion(String versionId) {
        return versionId != null && !versionId.isBlank() && !"null".equals(versionId);
    }

    private <T> Optional<T> absentIfNotFound(String what, Supplier<T> call) {
        return AwsCalls.call(s3, what, () -> {
            try {
                return Optional.of(call.get());
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }
}
