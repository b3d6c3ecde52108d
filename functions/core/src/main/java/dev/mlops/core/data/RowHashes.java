package dev.mlops.core.data;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

import org.apache.datasketches.hll.Union;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Hashes of the rows seen, for duplicates: an exact open-addressing set of up to {@value #MAX_ROW_HASHES}
 * hashes (with the line each was first seen on), then lookups only, plus an HLL estimate of distinct rows.
 *
 * <p>The hashes of parts of a file merge ({@link #merge}): exactly (the same duplicates, the same examples as one
 * pass) while the parts together hold at most {@value #MAX_ROW_HASHES} distinct rows; past that, as in one pass,
 * the share of duplicates is the HLL estimate.
 */
final class RowHashes {

    /**
     * Row hashes kept exactly for duplicates (a table of at most 3 MiB, small enough to stay mostly in cache);
     * past that, later rows are still looked up, and the share of duplicates is an HLL estimate.
     */
    private static final int MAX_ROW_HASHES = 1 << 17;

    private long[] keys = new long[1024];
    private long[] lines = new long[1024];
    private int size;
    /**
     * The size at which the next insertion goes the slow way ({@link #insertSlowly}: the table grows, or is full):
     * one rare branch in the row loop, taken from the first rows on, so the compiled loop has seen it.
     */
    private int slowAt = keys.length / 2;
    private boolean full;
    private long duplicates;
    /** The first duplicates: {line, line first seen on, hash}. */
    private final List<long[]> examples = new ArrayList<>();
    private static final int HLL_LG_K = 14;
    private HllSketch distinct = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);

    void add(long h, long line) {
        long key = h == 0 ? 1 : h;
        distinct.update(key);
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != 0) {
            if (keys[i] == key) {
                duplicates++;
                if (examples.size() < Anomaly.MAX_EXAMPLES) {
                    examples.add(new long[] {line, lines[i], key});
                }
                return;
            }
            i = (i + 1) & mask;
        }
        if (size >= slowAt) {
            insertSlowly(key, line);
            return;
        }
        keys[i] = key;
        lines[i] = line;
        size++;
    }

    /** Inserts a new key when the table is half full: into a table twice the size, or not at all past the cap. */
    private void insertSlowly(long key, long line) {
        if (size >= MAX_ROW_HASHES) {
            full = true;
            return;
        }
        grow();
        insert(key, line);
    }

    private void grow() {
        rehash(keys.length * 2);
    }

    /**
     * Makes room for {@code more} keys (up to the cap) in one step, so that merging a part's hashes does not double
     * the table and move every key again some eight times on the way.
     */
    private void reserve(int more) {
        long want = Math.min((long) size + more, MAX_ROW_HASHES);
        int capacity = keys.length;
        while (want > capacity / 2) {
            capacity *= 2;
        }
        if (capacity > keys.length) {
            rehash(capacity);
        }
    }

    private void rehash(int capacity) {
        slowAt = Math.min(capacity / 2, MAX_ROW_HASHES);
        long[] oldKeys = keys;
        long[] oldLines = lines;
        keys = new long[capacity];
        lines = new long[capacity];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long key = oldKeys[j];
            if (key != 0) {
                int i = (int) (key ^ (key >>> 32)) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                lines[i] = oldLines[j];
            }
        }
    }

    /** The slot of a key (never 0), or -1. */
    private int find(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != 0) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** What a part's pass kept, to merge into the hashes of the parts before it. */
    PartScan.Hashes snapshot() {
        long[] k = new long[size];
        long[] l = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                k[n] = keys[i];
                l[n++] = lines[i];
            }
        }
        return new PartScan.Hashes(k, l, duplicates, List.copyOf(examples), full, distinct.toCompactByteArray());
    }

    /**
     * Adds the hashes of the next part of the file, whose lines come {@code lineOffset} lines after these: a row
     * the part saw first that is in these is a duplicate of the earlier line, and the part's own duplicates of
     * such a row are shown with the earlier line.
     */
    void merge(PartScan.Hashes part, long lineOffset) {
        Union u = new Union(HLL_LG_K);
        u.update(distinct);
        u.update(HllSketch.heapify(part.distinct()));
        distinct = u.getResult(TgtHllType.HLL_8);
        full |= part.overflowed();
        List<long[]> found = new ArrayList<>();
        long[] k = part.keys();
        long[] l = part.lines();
        reserve(k.length);
        for (int j = 0; j < k.length; j++) {
            long line = l[j] + lineOffset;
            int slot = find(k[j]);
            if (slot >= 0) {
                duplicates++;
                if (examples.size() < Anomaly.MAX_EXAMPLES) {
                    found.add(new long[] {line, lines[slot], k[j]});
                }
            } else if (size >= MAX_ROW_HASHES) {
                full = true;
            } else {
                insert(k[j], line);
            }
        }
        duplicates += part.duplicates();
        if (examples.size() < Anomaly.MAX_EXAMPLES) {
            for (long[] ex : part.examples()) {
                int slot = find(ex[2]);
                found.add(new long[] {ex[0] + lineOffset, slot >= 0 ? lines[slot] : ex[1] + lineOffset, ex[2]});
            }
            found.sort(Comparator.comparingLong(ex -> ex[0]));
            for (int i = 0; i < found.size() && examples.size() < Anomaly.MAX_EXAMPLES; i++) {
                examples.add(found.get(i));
            }
        }
    }

    private void insert(long key, long line) {
        if (size >= keys.length / 2) {
            grow();
        }
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        lines[i] = line;
        size++;
    }

    long duplicates() {
        return duplicates;
    }

    boolean overflowed() {
        return full;
    }

    long estimatedDuplicates(long rows) {
        return Math.max(0, rows - Math.round(distinct.getEstimate()));
    }

    /** The first duplicates: {line, line first seen on, hash}. */
    List<long[]> examples() {
        return examples;
    }

    /** Mixes a cell's hash into the row's. */
    static long mix(long h, long x) {
        return Long.rotateLeft(h + x * 0x9E3779B97F4A7C15L, 27) * 0xC2B2AE3D27D4EB4FL;
    }

    /** Finishes a row's hash (MurmurHash3's finaliser). */
    static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    /** FNV-1a's offset basis and prime. */
    static final long FNV_BASIS = 0xCBF29CE484222325L;
    static final long FNV_PRIME = 0x100000001B3L;

    /** FNV-1a of a cell's characters. */
    static long hash(char[] c, int off, int len) {
        long h = FNV_BASIS;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ c[i]) * FNV_PRIME;
        }
        return h;
    }

    /** FNV-1a of a cell's bytes, when they are ASCII: the same as {@link #hash(char[], int, int)} of its characters. */
    static long hash(byte[] b, int from, int end) {
        long h = FNV_BASIS;
        for (int i = from; i < end; i++) {
            h = (h ^ b[i]) * FNV_PRIME;
        }
        return h;
    }
}
