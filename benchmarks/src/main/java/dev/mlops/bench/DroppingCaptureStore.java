package dev.mlops.bench;

import dev.mlops.core.ports.ObjectStore;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The object store of a benchmark: reads and writes go to the in-memory store, except captured
 * traffic, which is received whole (bytes and all) and then dropped, so millions of captures do not
 * fill the heap. What was received is counted (objects: one per batch of captures).
 */
final class DroppingCaptureStore implements ObjectStore {

    private final ObjectStore delegate;
    final AtomicLong captured = new AtomicLong();
    final AtomicLong capturedBytes = new AtomicLong();

    DroppingCaptureStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String bucket() {
        return delegate.bucket();
    }

    @Override
    public Optional<StoredObject> find(String key, String versionId) {
        return delegate.find(key, versionId);
    }

    @Override
    public Optional<InputStream> open(String key, String versionId) {
        return delegate.open(key, versionId);
    }

    @Override
    public Optional<InputStream> openRange(String key, String versionId, long firstByte, long lastByte) {
        return delegate.openRange(key, versionId, firstByte, lastByte);
    }

    @Override
    public Optional<ObjectInfo> head(String key, String versionId) {
        return delegate.head(key, versionId);
    }

    @Override
    public String put(String key, byte[] bytes, String contentType, java.util.Map<String, String> metadata) {
        if (key.startsWith("capture/")) {
            captured.incrementAndGet();
            capturedBytes.addAndGet(bytes.length);
            return null;
        }
        return delegate.put(key, bytes, contentType, metadata);
    }

    @Override
    public void copy(String fromKey, String toKey) {
        delegate.copy(fromKey, toKey);
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter) {
        return delegate.list(prefix, startAfter);
    }
}
