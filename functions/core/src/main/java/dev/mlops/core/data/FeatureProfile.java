package dev.mlops.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Summary statistics of one feature column, with the sketches they came from, so profiles of parts of a file
 * (or of captured traffic) can be merged and compared without rereading data.
 *
 * @param name       column name
 * @param type       column type
 * @param count      number of cells with a usable value
 * @param missing    number of missing cells
 * @param invalid    number of cells of a numeric column that are not finite numbers (null for categorical)
 * @param mean       mean of the numeric values ({@code null} if categorical or no value)
 * @param stddev     sample standard deviation, n-1 denominator ({@code null} if categorical or fewer than 2 values)
 * @param min        minimum ({@code null} if categorical or no value)
 * @param max        maximum ({@code null} if categorical or no value)
 * @param distinct   number of distinct values (exact for listed categories, else an HLL estimate)
 * @param quantiles  quantiles of a numeric column by rank name ({@code p1}, {@code p50}, ...), from the KLL sketch
 * @param histogram  equal-width histogram of a numeric column, from the KLL sketch
 * @param sample     reservoir sample (seed {@value Profile#SAMPLE_SEED}) of at most {@value Profile#SAMPLE_SIZE}
 *                   values; {@code null} for categorical features
 * @param categories count per (trimmed) category value while there are few enough to count exactly, else
 *                   {@code null}; {@code null} for numeric features
 * @param top        most frequent values of a categorical column
 * @param sketches   the serialised sketches (Base64), to merge with other profiles
 */
public record FeatureProfile(String name, ColumnType type, long count, long missing, Long invalid, Double mean,
                             Double stddev, Double min, Double max, Long distinct, Map<String, Double> quantiles,
                             Histogram histogram, double[] sample, Map<String, Long> categories, List<Frequent> top,
                             Sketches sketches) {

    /** Ranks listed in {@link #quantiles()}. */
    static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    /** A numeric column's profile: moments, range, quantiles, histogram and sample (no categories). */
    static FeatureProfile numeric(String name, long count, long missing, long invalid, Double mean, Double stddev,
                                  Double min, Double max, long distinct, Map<String, Double> quantiles,
                                  Histogram histogram, double[] sample, Sketches sketches) {
        return new FeatureProfile(name, ColumnType.NUMERIC, count, missing, invalid, mean, stddev, min, max, distinct,
                quantiles, histogram, sample, null, null, sketches);
    }

    /** A categorical column's profile: counts per category (while few enough) and the most frequent values. */
    static FeatureProfile categorical(String name, long count, long missing, long distinct,
                                      Map<String, Long> categories, List<Frequent> top, Sketches sketches) {
        return new FeatureProfile(name, ColumnType.CATEGORICAL, count, missing, null, null, null, null, null, distinct,
                null, null, null, categories, top, sketches);
    }

    /**
     * An equal-width histogram over the column's bulk: from its minimum to its maximum, unless a few values lie
     * far beyond the rest (one 99,999,999 among amounts of a few hundred); then the range is clipped to the 1st
     * and 99th percentiles (5th and 95th below 100 values) widened by their spread on each side, and the values
     * outside it are counted instead of drawn.
     *
     * @param edges  bin edges, one more than the counts
     * @param counts values per bin (estimated from the sketch; with {@code below} and {@code above} they add up
     *               to the count)
     * @param below  values below the first edge (null in profiles written before the range was clipped: 0)
     * @param above  values above the last edge (likewise)
     */
    public record Histogram(double[] edges, long[] counts, Long below, Long above) {

        /** The values left out of the bins, below and above. */
        public long outside() {
            return (below == null ? 0 : below) + (above == null ? 0 : above);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts)
                    && java.util.Objects.equals(below, h.below) && java.util.Objects.equals(above, h.above);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(edges) + Arrays.hashCode(counts)) + java.util.Objects.hash(below, above);
        }

        @Override
        public String toString() {
            return "Histogram[edges=" + Arrays.toString(edges) + ", counts=" + Arrays.toString(counts) + ", below="
                    + below + ", above=" + above + "]";
        }
    }

    /**
     * One of the most frequent values.
     *
     * @param value the value (shortened for display)
     * @param count how often it occurs
     * @param exact whether the count is exact (else a frequent-items estimate)
     */
    public record Frequent(String value, long count, boolean exact) {
    }

    /**
     * Serialised Apache DataSketches (Base64 of their byte form).
     *
     * @param kll   {@code KllDoublesSketch} of a numeric column's values
     * @param hll   {@code HllSketch} of the distinct values
     * @param items {@code ItemsSketch<String>} of a categorical column's values (when not counted exactly)
     */
    public record Sketches(String kll, String hll, String items) {
    }

    /** The name of a quantile rank in {@link #quantiles()}: 0.5 → {@code p50}. */
    static String quantileName(double rank) {
        return "p" + Math.round(rank * 100); // as %.0f rounds, without a Formatter per name (21 columns × 7 × 3 profiles)
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureProfile f && name.equals(f.name) && type == f.type && count == f.count
                && missing == f.missing && Objects.equals(invalid, f.invalid) && Objects.equals(mean, f.mean)
                && Objects.equals(stddev, f.stddev) && Objects.equals(min, f.min) && Objects.equals(max, f.max)
                && Objects.equals(distinct, f.distinct) && Objects.equals(quantiles, f.quantiles)
                && Objects.equals(histogram, f.histogram) && Arrays.equals(sample, f.sample)
                && Objects.equals(categories, f.categories) && Objects.equals(top, f.top)
                && Objects.equals(sketches, f.sketches);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, count, missing, mean, stddev, min, max, Arrays.hashCode(sample), categories);
    }

    @Override
    public String toString() {
        return "FeatureProfile[name=" + name + ", type=" + type + ", count=" + count + ", missing=" + missing
                + ", invalid=" + invalid + ", mean=" + mean + ", stddev=" + stddev + ", min=" + min + ", max=" + max
                + ", distinct=" + distinct + ", sample=" + (sample == null ? "null" : sample.length + " values")
                + ", categories=" + categories + "]";
    }
}
