package dev.mlops.core.ports.memory;

import dev.mlops.core.ports.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link ObjectStore} in memory, versioned like the data bucket: every put keeps the older versions. */
public final class InMemoryObjectStore implements ObjectStore {

    private record Version(String id, byte[] bytes, Map<String, String> metadata, java.time.Instant at) {
    }

    private final String bucket;
    private final Clock clock;
    private final TreeMap<String, List<Version>> objects = new TreeMap<>();
    private final AtomicLong versions = new AtomicLong();

    public InMemoryObjectStore(String bucket, Clock clock) {
        this.bucket = bucket;
        this.clock = clock;
    }

    public InMemoryObjectStore() {
        this("test-bucket", Clock.systemUTC());
    }

    @Override
    public String bucket() {
        return bucket;
    }

    /** Writes an object with metadata, as an upload would. */
    public synchronized String put(String key, byte[] bytes, Map<String, String> metadata) {
        String id = "v" + versions.incrementAndGet();
        objects.computeIfAbsent(key, k -> new ArrayList<>()).add(new Version(id, bytes.clone(), Map.copyOf(metadata),
                clock.instant()));
        return id;
    }

    /** Removes every version of a key (a test's way to lose an artifact). */
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    private synchronized Optional<Version> version(String key, String versionId) {
        List<Version> all = objects.get(key);
        if (all == null || all.isEmpty()) {
            return Optional.empty();
        }
        if (versionId == null) {
            return Optional.of(all.get(all.size() - 1));
        }
        return all.stream().filter(v -> v.id().equals(versionId)).findFirst();
    }

    @Override
    public Optional<StoredObject> find(String key, String versionId) {
        return version(key, versionId).map(v -> new StoredObject(v.bytes().clone(), v.id(), v.metadata()));
    }

    @Override
    public Optional<InputStream> open(String key, String versionId) {
        return version(key, versionId).map(v -> new ByteArrayInputStream(v.bytes()));
    }

    @Override
    public Optional<InputStream> openRange(String key, String versionId, long firstByte, long lastByte) {
        return version(key, versionId).map(v -> {
            if (firstByte < 0 || firstByte >= v.bytes().length || lastByte < firstByte) {
                throw new IllegalArgumentException("bytes " + firstByte + "-" + lastByte + " are not in " + key);
            }
            int end = (int) Math.min(lastByte + 1, v.bytes().length);
            return new ByteArrayInputStream(v.bytes(), (int) firstByte, end - (int) firstByte);
        });
    }

    @Override
    public Optional<ObjectInfo> head(String key, String versionId) {
        return version(key, versionId).map(v -> new ObjectInfo(key, v.bytes().length, v.at(), v.id(), v.metadata()));
    }

    @Override
    public String put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        return put(key, bytes, metadata);
    }

    @Override
    public synchronized void copy(String fromKey, String toKey) {
        Version v = version(fromKey, null).orElseThrow(() -> new IllegalArgumentException("no such key " + fromKey));
        put(toKey, v.bytes(), v.metadata());
    }

    @Override
    public synchronized List<ObjectInfo> list(String prefix, String startAfter) {
        List<ObjectInfo> out = new ArrayList<>();
        for (var e : objects.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (startAfter != null && e.getKey().compareTo(startAfter) <= 0) {
                continue;
            }
            Version latest = e.getValue().get(e.getValue().size() - 1);
            out.add(new ObjectInfo(e.getKey(), latest.bytes().length, latest.at(), null, Map.of()));
        }
        return out;
    }
}
