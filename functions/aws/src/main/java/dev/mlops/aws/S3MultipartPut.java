package dev.mlops.aws;

import dev.mlops.core.TaskFailures;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Sends a file to S3 as one multipart upload ({@code CreateMultipartUpload}, {@code UploadPart} per part,
 * {@code CompleteMultipartUpload}), as {@code aws s3 cp} does: the way past one {@code PutObject}'s 5 GB on AWS,
 * and locally the way a file of several GB reaches S3Mock without one request that, when it fails at 90 %, starts
 * over from the first byte.
 *
 * <p>Each part is streamed from its range of the file (memory does not grow with the file or the part: at most
 * {@code parallel} parts in flight, each read as it is sent); the SDK retries a failed part on its own (it reopens
 * the range), so a failure costs one part, not the file. When a part fails for good the upload is aborted, so
 * nothing half-written stays: no object appears, and S3 keeps no parts to bill for. The object appears whole, as
 * one new version, when the upload completes: a trigger on its key sees one {@code ObjectCreated}
 * ({@code CompleteMultipartUpload}), as for a single {@code PutObject}.
 *
 * <p>The Java SDK's own multipart support ({@code S3AsyncClient.multipartEnabled}, the transfer manager) needs the
 * asynchronous client and its Netty or CRT HTTP client, which the functions and the command line leave out
 * ({@link AwsClients}); the three calls are few enough to make here.
 */
public final class S3MultipartPut {

    /** S3's smallest part (all but the last). */
    public static final long MIN_PART_BYTES = 5L << 20;
    /** S3's largest number of parts in one upload. */
    public static final int MAX_PARTS = 10_000;
    /**
     * The part size unless a file needs larger ones to fit in {@link #MAX_PARTS}; the command line sends a file up
     * to it in one {@code PutObject}. 256 MiB: the local stack's S3 (S3Mock) answers {@code CompleteMultipartUpload}
     * only after reading every part back, about 60 MB/s of its CPU, so on the stack's loopback link parallel parts
     * buy nothing and a 151 MiB file sent in one PUT takes 1.3–1.7 s where three parts and their completion took
     * 3.8–4.6 s (BENCHMARKS.md, "Batch scoring end to end").
     */
    public static final long DEFAULT_PART_BYTES = 256L << 20;

    private final S3Client s3;
    private final String bucket;
    private final long partBytes;
    private final int parallel;

    /**
     * @param s3        a client whose read timeout allows for {@code CompleteMultipartUpload}, which assembles the
     *                  object before it answers (minutes for a file of many GB on an emulator)
     * @param partBytes the part size asked for (at least {@link #MIN_PART_BYTES}; raised when a file would need
     *                  more than {@link #MAX_PARTS} parts)
     * @param parallel  how many parts are sent at once
     */
    public S3MultipartPut(S3Client s3, String bucket, long partBytes, int parallel) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("parts must be at least " + MIN_PART_BYTES + " bytes (S3's smallest"
                    + " part), not " + partBytes);
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("at least one part at a time, not " + parallel);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.partBytes = partBytes;
        this.parallel = parallel;
    }

    /** The part size used for a file of {@code size} bytes. */
    public long partBytes(long size) {
        long fitting = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(partBytes, fitting);
    }

    /**
     * Uploads {@code file} to {@code key}; returns the new object's version id. {@code sent} is told the bytes of
     * each part once S3 has it (from the sending threads, one part at a time).
     *
     * @throws IOException when the file cannot be read; the upload is aborted (as for a failed part, which is
     *                     rethrown as it came from the SDK)
     */
    public String put(String key, Path file, Map<String, String> metadata, String contentType, LongConsumer sent)
            throws IOException {
        long size = Files.size(file);
        long part = partBytes(size);
        int parts = (int) Math.max(1, (size + part - 1) / part);
        String uploadId = AwsCalls.call(s3, "starting a multipart upload to s3://" + bucket + "/" + key,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)
                        .contentType(contentType)).uploadId());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, parts), runnable -> {
            Thread t = new Thread(runnable, "s3-multipart-put");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CompletedPart>> sending = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                int number = i + 1;
                long offset = i * part;
                long length = Math.min(part, size - offset);
                sending.add(pool.submit(() -> {
                    CompletedPart done = sendPart(key, uploadId, file, number, offset, length);
                    sent.accept(length);
                    return done;
                }));
            }
            List<CompletedPart> completed = new ArrayList<>(parts);
            for (Future<CompletedPart> f : sending) {
                completed.add(f.get());
            }
            return AwsCalls.call(s3, "completing the multipart upload to s3://" + bucket + "/" + key,
                    () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(u -> u.parts(completed))).versionId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            abort(key, uploadId, e);
            throw new IOException("interrupted while uploading " + file + " to s3://" + bucket + "/" + key, e);
        } catch (ExecutionException e) {
            pool.shutdownNow(); // the parts still in flight stop before the upload is aborted
            abort(key, uploadId, e.getCause());
            throw TaskFailures.rethrown(e.getCause());
        } catch (RuntimeException e) {
            pool.shutdownNow();
            abort(key, uploadId, e);
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private CompletedPart sendPart(String key, String uploadId, Path file, int number, long offset, long length) {
        // A provider, not a stream: the SDK opens the range again for each attempt of this part.
        RequestBody body = RequestBody.fromContentProvider(() -> range(file, offset, length), length,
                "application/octet-stream");
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .contentLength(length), body).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /** Aborts the upload so no parts stay behind; a failure to abort is added to the original failure. */
    private void abort(String key, String uploadId, Throwable failure) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }


    /** {@code length} bytes of {@code file} from {@code offset}, read as they are sent. */
    private static InputStream range(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
            return new FilterInputStream(Channels.newInputStream(channel)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
