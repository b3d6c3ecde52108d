package dev.mlops.core.data;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Running statistics of one numeric column in bounded memory, mergeable: exact counts, min, max, mean and
 * standard deviation; a KLL sketch for quantiles and the histogram (fed a stratified sample, see
 * {@link #EXACT_VALUES}); an HLL sketch for the number of distinct
 * values; a reservoir sample (the drift check's reference).
 */
final class NumericStats {

    /** KLL accuracy parameter: normalised rank error about 1.65 % (99 % confidence) at k = 200. */
    static final int KLL_K = 200;
    /** HLL size: relative standard error about 1.6 % (1.04/√4096). */
    static final int HLL_LG_K = 12;
    /** Bins of the histogram in a profile. */
    static final int BINS = 20;

    private final KllDoublesSketch kll;
    private HllSketch hll;
    /** Values buffered per column before they are folded in. */
    static final int BATCH = 512;

    /**
     * How the KLL sketch is fed. Its compactions of a few items at a time at its lowest levels were most of its cost
     * (about a third of the one-core pass, and the largest share of what C2 compiles in a short command), so past a
     * point it takes the KLL paper's sampler for those levels: one value drawn at random from each stratum of
     * {@code stratum} values in a row, weighing {@code stratum}. A stratum that holds a new minimum or maximum goes in
     * whole, so the sketch's extremes stay exact; the sampler adds no bias. Its error depends on how many values it
     * draws in all, so the stratum follows the file's size when the scan knows it ({@link #NumericStats(long)}):
     * at least {@value #MIN_SAMPLES} drawn over the whole file, in every part from the first value. Without a size,
     * a column's first {@value #EXACT_VALUES} values (in a part) go in one by one, then one in {@value #STRATUM}.
     * Either way the rank error stays about KLL's own (NumericStatsTest; KllSamplerError in benchmarks).
     */
    static final long EXACT_VALUES = 1 << 17;
    /** The stratum past {@link #EXACT_VALUES} when the file's size is not known. */
    static final int STRATUM = 8;
    /** Values drawn over a whole file at the least, when its size is known: the stratum is the file's rows over it. */
    static final long MIN_SAMPLES = 1 << 15;
    /** The largest stratum: the sampled sketch is merged into the column's that many times. */
    static final int MAX_STRATUM = 32;
    /**
     * The sampled values' own sketch is larger than the column's: its error adds to the column's when it is merged
     * in, and at k = 200 that doubled the sampler's (KllSamplerError).
     */
    static final int SAMPLED_K = 1_000;

    /** Values that go into the KLL sketch one by one before the sampler starts. */
    private final long exactValues;
    /** One value in this many goes into the sampled sketch, weighing as many. */
    private final int stratum;
    /** Bits of a random word one draw of a position in a stratum takes. */
    private final int pickBitCount;

    private final double[] pending = new double[BATCH];
    /** A batch's values drawn for {@link #sampled}: one per stratum. */
    private final double[] picks;
    /** The sampled values, each standing for {@link #stratum}: merged into {@link #kll} that many times. */
    private final KllDoublesSketch sampled = KllDoublesSketch.newHeapInstance(SAMPLED_K);
    private final SplittableRandom strata = new SplittableRandom(Profile.SAMPLE_SEED);
    /** Whether {@link #sampled} has values (not {@code sampled.isEmpty()}: see {@link #firstValues}). */
    private boolean sampling;
    private long pickBits;
    private int pickBitsLeft;
    private int pendingCount;
    private final Reservoir sample;
    long count;
    long missing;
    long invalid;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    // Sums of (x - shift): the first value is the shift, which keeps the variance well conditioned.
    private boolean shifted;
    private double shift;
    private double sum;
    private double sumSquares;

    /** Statistics of a column in a file of unknown size. */
    NumericStats() {
        this(0);
    }

    /**
     * Statistics of a column in a file of about {@code expectedValues} values (0 or less: unknown), or in a part of
     * one: the stratum is the same in every part, so that the values drawn over the file add up to
     * {@value #MIN_SAMPLES} at least.
     */
    NumericStats(long expectedValues) {
        this(KllDoublesSketch.newHeapInstance(KLL_K), new HllSketch(HLL_LG_K, TgtHllType.HLL_8),
                new Reservoir(Profile.SAMPLE_SIZE, Profile.SAMPLE_SEED), expectedValues);
    }

    private NumericStats(KllDoublesSketch kll, HllSketch hll, Reservoir sample, long expectedValues) {
        this.kll = kll;
        this.hll = hll;
        this.sample = sample;
        stratum = expectedValues > 0 ? stratumFor(expectedValues) : STRATUM;
        exactValues = expectedValues <= 0 ? EXACT_VALUES : stratum == 1 ? Long.MAX_VALUE : 0;
        pickBitCount = Math.max(1, Integer.numberOfTrailingZeros(stratum));
        picks = new double[BATCH / stratum];
    }

    /** The stratum for a file of {@code values} values: a power of two; 1 (none) below 2 × {@value #MIN_SAMPLES}. */
    static int stratumFor(long values) {
        long s = Long.highestOneBit(Math.max(1, values / MIN_SAMPLES));
        return (int) Math.min(s, MAX_STRATUM);
    }

    /**
     * Adds one value (finite). Values are buffered and folded in by column, {@value #BATCH} at a time, so each
     * sketch's state stays in cache while it is updated instead of every column's sketches being touched for
     * every row.
     */
    void add(double x) {
        pending[pendingCount++] = x;
        if (pendingCount == BATCH) {
            flush();
        }
    }

    private void flush() {
        int n = pendingCount;
        if (n == 0) {
            return;
        }
        double[] v = pending;
        if (!shifted) {
            shifted = true;
            shift = v[0];
        }
        sketch(v, n, count, min, max);
        double lo = min;
        double hi = max;
        double s = 0;
        double ss = 0;
        double sh = shift;
        for (int i = 0; i < n; i++) {
            double x = v[i];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
            double d = x - sh;
            s += d;
            ss += d * d;
        }
        min = lo;
        max = hi;
        sum += s;
        sumSquares += ss;
        count += n;
        for (int i = 0; i < n; i++) {
            double x = v[i];
            hll.update(x); // DataSketches canonicalises -0.0 to 0.0 itself
        }
        sample.offer(v, n);
        pendingCount = 0;
    }

    /**
     * Puts {@code v[0..n)} into the quantile sketch: the column's first {@link #exactValues} values and any stratum
     * holding a value beyond {@code lo}..{@code hi} (the extremes before it) one by one, the other strata as one
     * value drawn from each.
     */
    private void sketch(double[] v, int n, long seen, double lo, double hi) {
        int i = (int) Math.max(0, Math.min(n, exactValues - seen));
        if (i > 0) {
            if (seen == 0) {
                firstValues(kll, v, i);
            } else {
                kll.update(v, 0, i);
            }
            for (int j = 0; j < i; j++) {
                lo = Math.min(lo, v[j]);
                hi = Math.max(hi, v[j]);
            }
        }
        int m = 0;
        int width = stratum;
        for (; i + width <= n; i += width) {
            double bl = v[i];
            double bh = v[i];
            for (int j = i + 1; j < i + width; j++) {
                bl = Math.min(bl, v[j]);
                bh = Math.max(bh, v[j]);
            }
            if (bl < lo || bh > hi) {
                kll.update(v, i, width);
                lo = Math.min(lo, bl);
                hi = Math.max(hi, bh);
            } else {
                picks[m++] = v[i + pick()];
            }
        }
        if (i < n) {
            kll.update(v, i, n - i);
        }
        if (m > 0) {
            if (sampling) {
                sampled.update(picks, 0, m);
            } else {
                sampling = true;
                firstValues(sampled, picks, m);
            }
        }
    }

    /**
     * A sketch's first values, on a path of their own that compiled code does not inline (it is called too seldom):
     * the sketch's update, inlined into {@link #flush} and {@link #sketch} where every sketch had values, has no code
     * for an empty one, so a part's columns all starting their sampled sketch at once (at {@value #EXACT_VALUES}
     * values, without a size) threw both methods' compiled code away mid-scan, and C2 compiled them again
     * (BENCHMARKS.md, "Validate: no class looked for in every jar, the sampled sketch's first values").
     */
    private static void firstValues(KllDoublesSketch sketch, double[] v, int n) {
        sketch.update(v, 0, n);
    }

    /** A position in a stratum, uniformly at random (a word drawn once per 64 / {@link #pickBitCount} strata). */
    private int pick() {
        if (pickBitsLeft == 0) {
            pickBits = strata.nextLong();
            pickBitsLeft = 64 / pickBitCount;
        }
        int p = (int) (pickBits & (stratum - 1));
        pickBits >>>= pickBitCount;
        pickBitsLeft--;
        return p;
    }

    /** Flushes the values buffered and merges the sampled ones into the sketch, each {@link #stratum} times. */
    private void settle() {
        flush();
        if (!sampled.isEmpty()) {
            for (int r = 0; r < stratum; r++) {
                kll.merge(sampled);
            }
            sampled.reset();
            sampling = false;
        }
    }

    double mean() {
        return shift + sum / count;
    }

    /** Sum of squared deviations from the mean. */
    double m2() {
        return Math.max(0, sumSquares - sum * sum / count);
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** Adds another column's statistics to these (profiles of parts of one file). */
    void merge(NumericStats o) {
        settle();
        o.settle();
        if (o.count > 0) {
            if (count == 0) {
                shifted = true;
                shift = o.mean();
                sum = 0;
                sumSquares = o.m2();
            } else {
                // Chan et al.: combine counts, means and sums of squared deviations.
                double ma = mean();
                double mb = o.mean();
                long n = count + o.count;
                double delta = mb - ma;
                double m2 = m2() + o.m2() + delta * delta * ((double) count * o.count / n);
                shift = ma + delta * o.count / n;
                sum = 0;
                sumSquares = m2;
            }
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
        }
        sample.merge(o.sample, count, o.count);
        count += o.count;
        missing += o.missing;
        invalid += o.invalid;
        kll.merge(o.kll);
        Union u = new Union(HLL_LG_K);
        u.update(hll);
        u.update(o.hll);
        hll = u.getResult(TgtHllType.HLL_8);
    }

    /**
     * Values beyond {@code iqrs} interquartile ranges from the quartiles, estimated from the sketch's ranks: below
     * the low fence, and above the high one (a value on a fence is not beyond it). Ranks, not one CDF of both
     * fences, which the sketch refuses when they are equal (the interquartile range is 0: most values the same).
     */
    CellChecks.Outliers outliers(double iqrs) {
        settle();
        double q1 = kll.getQuantile(0.25, QuantileSearchCriteria.INCLUSIVE);
        double q3 = kll.getQuantile(0.75, QuantileSearchCriteria.INCLUSIVE);
        double low = q1 - iqrs * (q3 - q1);
        double high = q3 + iqrs * (q3 - q1);
        long below = min < low
                ? Math.max(1, Math.round(kll.getRank(low, QuantileSearchCriteria.EXCLUSIVE) * count)) : 0;
        long above = max > high
                ? Math.max(1, Math.round((1 - kll.getRank(high, QuantileSearchCriteria.INCLUSIVE)) * count)) : 0;
        return new CellChecks.Outliers(low, high, below, above);
    }

    /** The column's profile. */
    FeatureProfile profile(String name) {
        settle();
        Double mean = count > 0 ? mean() : null;
        Double stddev = count > 1 ? Math.sqrt(m2() / (count - 1)) : null;
        Map<String, Double> quantiles = null;
        FeatureProfile.Histogram histogram = null;
        if (count > 0) {
            quantiles = new LinkedHashMap<>();
            for (double q : FeatureProfile.QUANTILES) {
                quantiles.put(FeatureProfile.quantileName(q), kll.getQuantile(q, QuantileSearchCriteria.INCLUSIVE));
            }
            histogram = histogram();
        }
        Base64.Encoder b64 = Base64.getEncoder();
        FeatureProfile.Sketches sketches = new FeatureProfile.Sketches(b64.encodeToString(kll.toByteArray()),
                b64.encodeToString(hll.toCompactByteArray()), null);
        return FeatureProfile.numeric(name, count, missing, invalid, mean, stddev, count > 0 ? min : null,
                count > 0 ? max : null, count > 0 ? distinct() : 0L, quantiles, histogram, sample.values(), sketches);
    }

    private long distinct() {
        return Math.min(count, Math.round(hll.getEstimate()));
    }

    private FeatureProfile.Histogram histogram() {
        if (min == max) {
            return new FeatureProfile.Histogram(new double[] {min, max}, new long[] {count}, 0L, 0L);
        }
        double[] range = range();
        double lo = range[0];
        double hi = range[1];
        double[] edges = new double[BINS + 1];
        for (int i = 0; i <= BINS; i++) {
            edges[i] = lo + (hi - lo) * i / BINS;
        }
        edges[BINS] = hi;
        // Cumulative counts, rounded once each, so that below + bins + above is exactly the count: values below
        // each edge, then values up to the last edge (inclusive), then all.
        double[] under = kll.getCDF(edges, QuantileSearchCriteria.EXCLUSIVE);
        long[] cumulative = new long[BINS + 3];
        for (int i = 0; i <= BINS; i++) {
            cumulative[i + 1] = Math.round(under[i] * count);
        }
        cumulative[BINS + 1] = Math.round(kll.getRank(hi, QuantileSearchCriteria.INCLUSIVE) * count);
        cumulative[BINS + 2] = count;
        long[] counts = new long[BINS];
        for (int i = 0; i < BINS; i++) {
            counts[i] = Math.max(0, cumulative[i + 2] - cumulative[i + 1]);
        }
        long below = cumulative[1];
        long above = Math.max(0, count - cumulative[BINS + 1]);
        return new FeatureProfile.Histogram(edges, counts, below, above);
    }

    /**
     * The histogram's range: from the minimum to the maximum, unless one lies beyond the bulk's fence (its 1st or
     * 99th percentile widened by half their spread; 5th and 95th below 100 values): then that end is the value
     * nearest inside the fence, so that one far outlier does not squash every other value into one bar.
     */
    private double[] range() {
        double q = count >= 100 ? 0.01 : 0.05;
        double low = kll.getQuantile(q, QuantileSearchCriteria.INCLUSIVE);
        double high = kll.getQuantile(1 - q, QuantileSearchCriteria.INCLUSIVE);
        double margin = (high - low) / 2;
        if (!(margin > 0)) {
            return new double[] {min, max};
        }
        double lo = min;
        double hi = max;
        if (max > high + margin) {
            // the largest value at or below the fence
            hi = kll.getQuantile(kll.getRank(high + margin, QuantileSearchCriteria.INCLUSIVE),
                    QuantileSearchCriteria.INCLUSIVE);
        }
        if (min < low - margin) {
            // the smallest value at or above the fence
            double below = kll.getRank(low - margin, QuantileSearchCriteria.EXCLUSIVE);
            lo = kll.getQuantile(Math.min(1, below + 0.5 / count), QuantileSearchCriteria.INCLUSIVE);
        }
        lo = Math.max(lo, low - margin);
        hi = Math.min(hi, high + margin);
        return hi > lo ? new double[] {lo, hi} : new double[] {min, max};
    }

    /** Statistics back from a stored profile (to merge profiles of parts). */
    static NumericStats of(FeatureProfile p) {
        Base64.Decoder b64 = Base64.getDecoder();
        KllDoublesSketch kll = KllDoublesSketch.heapify(Memory.wrap(b64.decode(p.sketches().kll())));
        HllSketch hll = HllSketch.heapify(b64.decode(p.sketches().hll())).copyAs(TgtHllType.HLL_8);
        NumericStats s = new NumericStats(kll, hll, Reservoir.of(p.sample(), p.count(), Profile.SAMPLE_SIZE,
                Profile.SAMPLE_SEED), 0);
        s.count = p.count();
        s.missing = p.missing();
        s.invalid = p.invalid() == null ? 0 : p.invalid();
        if (p.count() > 0) {
            s.min = p.min();
            s.max = p.max();
            s.shifted = true;
            s.shift = p.mean();
            s.sum = 0;
            s.sumSquares = p.stddev() == null ? 0 : p.stddev() * p.stddev() * (p.count() - 1);
        }
        return s;
    }

    /**
     * A uniform sample of at most {@code size} values (Algorithm L: after the first {@code size} values, the
     * generator is asked only when the next replacement is due, not for every value).
     */
    static final class Reservoir {
        private final double[] values;
        private final SplittableRandom random;
        private long seen;
        private int filled;
        private long next;
        private double w;

        Reservoir(int size, long seed) {
            values = new double[size];
            random = new SplittableRandom(seed);
        }

        static Reservoir of(double[] stored, long count, int size, long seed) {
            Reservoir r = new Reservoir(size, seed);
            double[] s = stored == null ? new double[0] : stored;
            System.arraycopy(s, 0, r.values, 0, Math.min(s.length, size));
            r.filled = Math.min(s.length, size);
            r.seen = count;
            r.w = Math.exp(Math.log(r.random.nextDouble()) / size);
            r.next = r.seen + skip(r.random, r.w);
            return r;
        }

        void offer(double x) {
            int k = values.length;
            if (filled < k) {
                values[filled++] = x;
                seen++;
                if (filled == k) {
                    w = Math.exp(Math.log(random.nextDouble()) / k);
                    next = seen + skip(random, w);
                }
                return;
            }
            seen++;
            if (seen == next) {
                values[random.nextInt(k)] = x;
                w *= Math.exp(Math.log(random.nextDouble()) / k);
                next = seen + skip(random, w);
            }
        }

        /**
         * Offers {@code values[0..n)} in order: the same sample as offering them one by one (the same draws, the
         * same slots), but once the sample is full only the values due for a replacement are visited.
         */
        void offer(double[] values, int n) {
            int i = 0;
            if (filled < this.values.length) { // the first values only
                i = fill(values, n);
                if (i == n) {
                    return;
                }
            }
            // seen < next: the value at index i + (next - seen - 1) is the next one to go in
            while (next - seen <= n - i) {
                i += (int) (next - seen - 1);
                seen = next - 1;
                offer(values[i++]);
            }
            seen += n - i;
        }

        /** Offers values from the start of {@code values} until the sample is full: how many it took. */
        private int fill(double[] values, int n) {
            int i = 0;
            while (i < n && filled < this.values.length) {
                offer(values[i++]);
            }
            return i;
        }

        private static long skip(SplittableRandom random, double w) {
            return (long) Math.floor(Math.log(random.nextDouble()) / Math.log(1 - w)) + 1;
        }

        /**
         * Merges another part's sample: each slot is drawn from this part or the other in proportion to the
         * values each has seen, so the result is again (approximately) a uniform sample of the union.
         */
        void merge(Reservoir o, long mine, long theirs) {
            double[] a = values();
            double[] b = o.values();
            int k = values.length;
            int total = (int) Math.min(k, (long) a.length + b.length);
            double[] out = new double[total];
            int ia = 0;
            int ib = 0;
            shuffle(a);
            shuffle(b);
            for (int i = 0; i < total; i++) {
                boolean fromA = ib >= b.length
                        || ia < a.length && random.nextDouble() * (mine + theirs) < mine;
                out[i] = fromA ? a[ia++] : b[ib++];
            }
            System.arraycopy(out, 0, values, 0, total);
            filled = total;
            seen = mine + theirs;
            if (filled == k) {
                w = Math.exp(Math.log(random.nextDouble()) / k);
                next = seen + skip(random, w);
            }
        }

        private void shuffle(double[] v) {
            for (int i = v.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
        }

        double[] values() {
            return Arrays.copyOf(values, filled);
        }
    }
}
