package dev.mlops.core.drift;

import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.FeatureProfile;
import dev.mlops.core.data.Profile;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference side of a drift check, read from a stored dataset {@link Profile} (never from the data):
 * per numeric column its KLL sketch, its reservoir sample, its exact count, mean, standard deviation, minimum
 * and maximum, and bins at its quantiles; per categorical column its category counts; the label counts (the
 * reference of prediction drift), or for a regression the numeric label's profile (the reference of drift of the
 * predicted values).
 */
public final class Reference {

    /** Name under which the predicted (or, comparing two files, the label) distribution is reported. */
    public static final String PREDICTION = "prediction";

    /** A numeric column of the reference. */
    public static final class Numeric {
        final String name;
        final long count;
        final double mean;
        final double sd;
        final double min;
        final double max;
        final double[] sample;
        final KllDoublesSketch kll;
        /** Upper bin edges (inclusive), strictly increasing; a last bin takes everything above. */
        final double[] edges;
        final double[] proportions;

        Numeric(String name, long count, double mean, double sd, double min, double max, double[] sample,
                KllDoublesSketch kll, int bins) {
            this.name = name;
            this.count = count;
            this.mean = mean;
            this.sd = sd;
            this.min = min;
            this.max = max;
            this.sample = sample == null ? new double[0] : sample;
            this.kll = kll;
            if (kll == null || kll.isEmpty()) {
                this.edges = new double[0];
                this.proportions = new double[] {1.0};
                return;
            }
            double[] ranks = new double[bins - 1];
            for (int i = 1; i < bins; i++) {
                ranks[i - 1] = (double) i / bins;
            }
            // Edges at the reference's quantiles: each bin holds about 1/bins of the reference however far
            // one value lies from the others, so no outlier can stretch the bins and hide a shift.
            this.edges = Arrays.stream(kll.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE)).distinct().sorted()
                    .filter(e -> e < max).toArray();
            double[] cdf = edges.length == 0 ? new double[] {1.0}
                    : kll.getCDF(edges, QuantileSearchCriteria.INCLUSIVE);
            this.proportions = new double[edges.length + 1];
            double before = 0;
            for (int i = 0; i < proportions.length; i++) {
                double c = i < edges.length ? cdf[i] : 1.0;
                proportions[i] = Math.max(0, c - before);
                before = c;
            }
        }

        /** The scale distances are divided by: the standard deviation, else |mean|, else 1. */
        double scale() {
            if (sd > 0) {
                return sd;
            }
            return Math.abs(mean) > 0 ? Math.abs(mean) : 1.0;
        }

        /** Values are clipped to one range-width beyond the reference's range before a distance is taken. */
        double clipLow() {
            return min - Math.max(max - min, scale());
        }

        double clipHigh() {
            return max + Math.max(max - min, scale());
        }
    }

    /** A categorical column of the reference (or the label distribution). */
    public static final class Categorical {
        final String name;
        final long count;
        /** Counts per value; when the profile kept only the most frequent values, the rest is under {@link #OTHER}. */
        final Map<String, Long> counts;
        final boolean exact;

        Categorical(String name, long count, Map<String, Long> counts, boolean exact) {
            this.name = name;
            this.count = count;
            this.counts = Collections.unmodifiableMap(counts);
            this.exact = exact;
        }
    }

    /** Bucket of the values a side does not list one by one. */
    public static final String OTHER = "(other)";

    private final long rows;
    private final Map<String, Object> columns;
    private final Categorical labels;
    private final Numeric target;

    private Reference(long rows, Map<String, Object> columns, Categorical labels, Numeric target) {
        this.rows = rows;
        this.columns = columns;
        this.labels = labels;
        this.target = target;
    }

    /**
     * The reference of a stored profile.
     *
     * @param bins bins of the numeric histograms ({@link DriftConfig#bins()})
     */
    public static Reference of(Profile profile, int bins) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (FeatureProfile f : profile.features().values()) {
            if (f.type() == ColumnType.NUMERIC) {
                columns.put(f.name(), numeric(f.name(), f, bins));
            } else {
                columns.put(f.name(), categorical(f));
            }
        }
        Categorical labels = profile.labels() == null || profile.labels().isEmpty() ? null
                : new Categorical(PREDICTION, profile.labels().values().stream().mapToLong(Long::longValue).sum(),
                new TreeMap<>(profile.labels()), true);
        Numeric target = profile.target() == null ? null : numeric(PREDICTION, profile.target(), bins);
        return new Reference(profile.rows(), columns, labels, target);
    }

    private static Numeric numeric(String name, FeatureProfile f, int bins) {
        KllDoublesSketch kll = f.sketches() == null || f.sketches().kll() == null ? null
                : KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(f.sketches().kll())));
        return new Numeric(name, f.count(), f.mean() == null ? 0 : f.mean(), f.stddev() == null ? 0 : f.stddev(),
                f.min() == null ? 0 : f.min(), f.max() == null ? 0 : f.max(), f.sample(), kll, bins);
    }

    private static Categorical categorical(FeatureProfile f) {
        if (f.categories() != null) {
            return new Categorical(f.name(), f.count(), new TreeMap<>(f.categories()), true);
        }
        Map<String, Long> counts = new TreeMap<>();
        long listed = 0;
        if (f.top() != null) {
            for (FeatureProfile.Frequent top : f.top()) {
                counts.put(top.value(), top.count());
                listed += top.count();
            }
        }
        if (f.count() > listed) {
            counts.put(OTHER, f.count() - listed);
        }
        return new Categorical(f.name(), f.count(), counts, false);
    }

    /** Rows the reference profile was made from. */
    public long rows() {
        return rows;
    }

    /** Column names in profile order. */
    public List<String> names() {
        return new ArrayList<>(columns.keySet());
    }

    /** Whether the column is numeric (false: categorical); null for an unknown column. */
    public Boolean numeric(String name) {
        Object c = columns.get(name);
        return c == null ? null : c instanceof Numeric;
    }

    Map<String, Object> columns() {
        return columns;
    }

    /** The label distribution, or null when the profile has none. */
    Categorical labels() {
        return labels;
    }

    /** A regression's label distribution (the reference of the predicted values), or null. */
    Numeric target() {
        return target;
    }
}
