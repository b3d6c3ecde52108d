package dev.mlops.core.data;

import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running statistics of one categorical column in bounded memory, mergeable: exact counts per value while
 * there are at most {@code cap} distinct values (the drift check's reference); past that, a frequent-items
 * sketch for the most frequent values and an HLL sketch for the number of distinct values.
 */
final class CategoricalStats {

    /** Frequent-items map size (a power of 2): error at most 3.5/128 of the count. */
    static final int ITEMS_MAP = 128;
    /** Most frequent values listed in a profile. */
    static final int TOP = 10;

    private final int cap;
    private Map<String, long[]> exact = new HashMap<>();
    private ItemsSketch<String> items;
    private HllSketch hll;
    long count;
    long missing;

    CategoricalStats(int cap) {
        this.cap = cap;
    }

    /** Adds one (trimmed, non-missing) value. */
    void add(String value) {
        count++;
        if (exact != null) {
            long[] c = exact.get(value);
            if (c != null) {
                c[0]++;
                return;
            }
            if (exact.size() < cap) {
                exact.put(value, new long[] {1});
                return;
            }
            spill();
        }
        items.update(value);
        hll.update(value);
    }

    /** Too many values to count exactly: from here on, sketches only (seeded with the exact counts). */
    private void spill() {
        ensureSketches();
        exact = null;
    }

    private void ensureSketches() {
        if (items == null) {
            items = new ItemsSketch<>(ITEMS_MAP);
            hll = new HllSketch(NumericStats.HLL_LG_K, TgtHllType.HLL_8);
            if (exact != null) {
                exact.forEach((v, c) -> {
                    items.update(v, c[0]);
                    hll.update(v);
                });
            }
        }
    }

    /** Exact counts per value, sorted, or {@code null} when there were too many values. */
    Map<String, Long> counts() {
        if (exact == null) {
            return null;
        }
        Map<String, Long> out = new TreeMap<>();
        exact.forEach((v, c) -> out.put(v, c[0]));
        return out;
    }

    /** Adds another part's statistics. */
    void merge(CategoricalStats o) {
        count += o.count;
        missing += o.missing;
        if (exact != null && o.exact != null) {
            o.exact.forEach((v, c) -> exact.computeIfAbsent(v, k -> new long[1])[0] += c[0]);
            if (exact.size() <= cap) {
                return;
            }
        }
        ensureSketches();
        o.ensureSketches();
        exact = null;
        items.merge(o.items);
        Union u = new Union(NumericStats.HLL_LG_K);
        u.update(hll);
        u.update(o.hll);
        hll = u.getResult(TgtHllType.HLL_8);
    }

    /** The column's profile ({@code label} true: the label column, profiled the same way). */
    FeatureProfile profile(String name) {
        Map<String, Long> counts = counts();
        List<FeatureProfile.Frequent> top = new ArrayList<>();
        FeatureProfile.Sketches sketches = null;
        long distinct;
        if (counts != null) {
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP)
                    .forEach(e -> top.add(new FeatureProfile.Frequent(Anomaly.shorten(e.getKey()), e.getValue(), true)));
            distinct = counts.size();
        } else {
            ItemsSketch.Row<String>[] rows = items.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
            java.util.Arrays.sort(rows, Comparator.comparingLong(ItemsSketch.Row<String>::getEstimate).reversed());
            for (int i = 0; i < Math.min(TOP, rows.length); i++) {
                top.add(new FeatureProfile.Frequent(Anomaly.shorten(rows[i].getItem()), rows[i].getEstimate(), false));
            }
            distinct = Math.min(count, Math.round(hll.getEstimate()));
            Base64.Encoder b64 = Base64.getEncoder();
            sketches = new FeatureProfile.Sketches(null, b64.encodeToString(hll.toCompactByteArray()),
                    b64.encodeToString(items.toByteArray(new ArrayOfStringsSerDe())));
        }
        return FeatureProfile.categorical(name, count, missing, distinct, counts, top, sketches);
    }

    /** Statistics back from a stored profile. */
    static CategoricalStats of(FeatureProfile p, int cap) {
        CategoricalStats s = new CategoricalStats(cap);
        s.count = p.count();
        s.missing = p.missing();
        if (p.categories() != null) {
            p.categories().forEach((v, c) -> s.exact.put(v, new long[] {c}));
        } else {
            Base64.Decoder b64 = Base64.getDecoder();
            s.exact = null;
            s.items = ItemsSketch.getInstance(Memory.wrap(b64.decode(p.sketches().items())), new ArrayOfStringsSerDe());
            s.hll = HllSketch.heapify(b64.decode(p.sketches().hll())).copyAs(TgtHllType.HLL_8);
        }
        return s;
    }
}
