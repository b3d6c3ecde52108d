package dev.mlops.core.ports;

import dev.mlops.core.Json;
import dev.mlops.core.model.ArtifactLoader;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data bucket: artifacts, reports, schemas, captured traffic. Keys are plain strings (the
 * layout is {@link dev.mlops.core.Layout}'s). A key or version that does not exist is an empty
 * result, never an error; an unreachable store is a {@link dev.mlops.core.errors.TransientException}.
 */
public interface ObjectStore extends ArtifactLoader.Source {

    /** An object read whole. */
    record StoredObject(byte[] bytes, String versionId, Map<String, String> metadata) {
    }

    /** What a listing or a head request says about an object. */
    record ObjectInfo(String key, long size, Instant lastModified, String versionId, Map<String, String> metadata) {
    }

    /** The bucket's name (to check that an event or a pointer is about this bucket). */
    String bucket();

    /** Reads an object at a version ({@code versionId} null: the latest). */
    Optional<StoredObject> find(String key, String versionId);

    /** Opens an object for streaming; the caller closes the stream. */
    Optional<InputStream> open(String key, String versionId);

    /**
     * Opens bytes {@code firstByte} to {@code lastByte} (both included, as HTTP's Range says) of an object for
     * streaming; a {@code lastByte} past the end reads to the end. {@code firstByte} must be within the object.
     */
    Optional<InputStream> openRange(String key, String versionId, long firstByte, long lastByte);

    /** Size, version and metadata of an object, without its body. */
    Optional<ObjectInfo> head(String key, String versionId);

    /** Writes an object with user metadata; returns its version id (null where versioning is off). */
    String put(String key, byte[] bytes, String contentType, Map<String, String> metadata);

    /**
     * Writes an object of a known length from a stream (the caller closes it); returns its version id. Reads it
     * whole: an S3 body is sent plain (no {@code aws-chunked} encoding), which the SDK hashes before sending, so it
     * must be readable twice. Big objects are joined in place ({@link #concat}) or sent in parts.
     */
    default String putStream(String key, InputStream in, long length, String contentType) {
        try {
            byte[] bytes = in.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8));
            if (bytes.length != length) {
                throw new IllegalStateException("expected " + length + " bytes for " + key + ", read " + bytes.length);
            }
            return put(key, bytes, contentType);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes an object; returns its version id (null where versioning is off). */
    default String put(String key, byte[] bytes, String contentType) {
        return put(key, bytes, contentType, Map.of());
    }

    /** Copies an object within the bucket. */
    void copy(String fromKey, String toKey);

    /**
     * Writes the latest versions of objects, one after the other, as one object; returns its version id. Stores
     * that can join objects where they are (S3: a multipart upload whose parts are copies) do not read them
     * through this process; this default streams them into {@link #putStream}, one open at a time.
     *
     * @throws IllegalStateException when a source is missing
     */
    default String concat(String key, List<String> sources, String contentType) {
        long length = 0;
        for (String source : sources) {
            length += head(source, null).orElseThrow(() -> new IllegalStateException(source + " is missing")).size();
        }
        try (InputStream all = ConcatenatedObjects.stream(this, sources)) {
            return putStream(key, all, length, contentType);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The keys under a prefix that sort after {@code startAfter} (null: all), in key order. */
    List<ObjectInfo> list(String prefix, String startAfter);

    /** Reads the latest version of an object. */
    default Optional<StoredObject> find(String key) {
        return find(key, null);
    }

    /** The bytes of the latest version of an object (what model artifacts are loaded from). */
    @Override
    default Optional<byte[]> read(String key) {
        return find(key, null).map(StoredObject::bytes);
    }

    /** Writes a JSON document, indented for people who open it. */
    default String putJson(String key, Object document) {
        return put(key, Json.prettyBytes(document), "application/json");
    }

    /** Reads a JSON document if it exists; a malformed one is a {@link dev.mlops.core.errors.ContractException}. */
    default <T> Optional<T> findJson(String key, Class<T> type) {
        return find(key).map(o -> Json.read(o.bytes(), type));
    }
}
