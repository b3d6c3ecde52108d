package dev.mlops.core.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data profile of a table: per-feature statistics (with their sketches) and the label's class balance. The
 * numeric samples are the baseline the drift check compares captured traffic with.
 *
 * <p>Profiles merge: {@code merge(profile(A), profile(B))} has exactly the counts, missing counts, minima,
 * maxima, category and label counts of {@code profile(A ∪ B)}, mean and standard deviation up to rounding,
 * quantiles within the KLL sketch's rank error and distinct counts within the HLL sketch's error; so a large
 * file can be profiled in parts, in parallel, and the parts merged.
 *
 * @param rows     number of data rows profiled
 * @param features profile per feature, in schema order
 * @param labels   rows per non-missing label value, sorted by label (empty for a regression)
 * @param target   a regression's numeric label: range, quantiles, histogram and sample (the reference of
 *                 prediction drift); null for a classification
 */
public record Profile(long rows, Map<String, FeatureProfile> features, Map<String, Long> labels,
                      FeatureProfile target) {

    /** Maximum number of values kept per numeric feature. */
    public static final int SAMPLE_SIZE = 2_000;
    /** Seed of the reservoir sampling (a fresh generator per feature). */
    public static final long SAMPLE_SEED = 42L;
    /** Distinct values of a categorical column counted exactly (and listed in an inferred schema). */
    public static final int MAX_CATEGORIES = 1_000;

    /** Unmodifiable copies preserving order. */
    public Profile {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** A classification's profile. */
    public Profile(long rows, Map<String, FeatureProfile> features, Map<String, Long> labels) {
        this(rows, features, labels, null);
    }

    /**
     * Profiles a table in memory with the same code as ingestion ({@link DatasetScanner}). Columns of the schema
     * absent from the table are skipped; cells of a numeric column that are not numbers are counted as invalid.
     *
     * @param t the table
     * @param s its schema
     * @return the profile
     */
    public static Profile of(CsvTable t, Schema s) {
        return DatasetScanner.scan(t, DatasetScanner.Mode.validate(s), ValidationConfig.defaults()).profile();
    }

    /**
     * Merges the profiles of two parts of one dataset (same schema).
     *
     * @param a one part
     * @param b the other
     * @return the profile of both
     * @throws IllegalArgumentException if the parts do not have the same features
     */
    public static Profile merge(Profile a, Profile b) {
        if (!a.features.keySet().equals(b.features.keySet())) {
            throw new IllegalArgumentException("profiles of different columns: " + a.features.keySet() + " and "
                    + b.features.keySet());
        }
        Map<String, FeatureProfile> features = new LinkedHashMap<>();
        for (Map.Entry<String, FeatureProfile> e : a.features.entrySet()) {
            FeatureProfile fa = e.getValue();
            FeatureProfile fb = b.features.get(e.getKey());
            if (fa.type() != fb.type()) {
                throw new IllegalArgumentException("column " + e.getKey() + " is " + fa.type() + " in one profile and "
                        + fb.type() + " in the other");
            }
            if (fa.type() == ColumnType.NUMERIC) {
                NumericStats s = NumericStats.of(fa);
                s.merge(NumericStats.of(fb));
                features.put(e.getKey(), s.profile(e.getKey()));
            } else {
                CategoricalStats s = CategoricalStats.of(fa, MAX_CATEGORIES);
                s.merge(CategoricalStats.of(fb, MAX_CATEGORIES));
                features.put(e.getKey(), s.profile(e.getKey()));
            }
        }
        Map<String, Long> labels = new TreeMap<>(a.labels);
        b.labels.forEach((k, v) -> labels.merge(k, v, Long::sum));
        FeatureProfile target = null;
        if (a.target != null && b.target != null) {
            NumericStats s = NumericStats.of(a.target);
            s.merge(NumericStats.of(b.target));
            target = s.profile(a.target.name());
        }
        return new Profile(a.rows + b.rows, features, labels, target);
    }
}
