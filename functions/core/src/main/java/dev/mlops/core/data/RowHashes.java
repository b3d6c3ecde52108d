package dev.mlops.core.data;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

import java.util.ArrayList;
import java.util.List;

/**
 * Hashes of the rows seen, for duplicates: an exact open-addressing set of up to {@value #MAX_ROW_HASHES}
 * hashes (with the line each was first seen on), then lookups only, plus an HLL estimate of distinct rows.
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
    private boolean full;
    private long duplicates;
    private final List<long[]> examples = new ArrayList<>();
    private final HllSketch distinct = new HllSketch(14, TgtHllType.HLL_8);

    void add(long h, long line) {
        long key = h == 0 ? 1 : h;
        distinct.update(key);
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != 0) {
            if (keys[i] == key) {
                duplicates++;
                if (examples.size() < Anomaly.MAX_EXAMPLES) {
                    examples.add(new long[] {line, lines[i]});
                }
                return;
            }
            i = (i + 1) & mask;
        }
        if (size >= MAX_ROW_HASHES) {
            full = true;
            return;
        }
        keys[i] = key;
        lines[i] = line;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new long[oldKeys.length * 2];
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

    long duplicates() {
        return duplicates;
    }

    boolean overflowed() {
        return full;
    }

    long estimatedDuplicates(long rows) {
        return Math.max(0, rows - Math.round(distinct.getEstimate()));
    }

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

    /** FNV-1a of a cell's characters. */
    static long hash(char[] c, int off, int len) {
        long h = 0xCBF29CE484222325L;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ c[i]) * 0x100000001B3L;
        }
        return h;
    }
}
