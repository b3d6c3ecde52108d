package dev.mlops.core.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Data profile of a table: per-feature statistics and the label distribution. The numeric samples are the
 * baseline later used for drift detection.
 *
 * @param rows     number of data rows
 * @param features profile per feature, in schema order
 * @param labels   rows per non-missing label value, sorted by label
 */
public record Profile(long rows, Map<String, FeatureProfile> features, Map<String, Long> labels) {

    /** Maximum number of values kept per numeric feature. */
    public static final int SAMPLE_SIZE = 2_000;
    /** Seed of the reservoir sampling (a fresh generator per feature). */
    public static final long SAMPLE_SEED = 42L;

    /** Unmodifiable copies preserving order. */
    public Profile {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /**
     * Profiles a table. Columns of the schema absent from the table are skipped; non-numeric cells of a numeric
     * column are counted as missing (validation reports them).
     *
     * @param t the table
     * @param s its schema
     * @return the profile
     */
    public static Profile of(CsvTable t, Schema s) {
        Map<String, FeatureProfile> features = new LinkedHashMap<>();
        for (Column c : s.features()) {
            int idx = t.columnIndex(c.name());
            if (idx >= 0) {
                features.put(c.name(), c.type() == ColumnType.NUMERIC
                        ? numeric(c, t.rows(), idx) : categorical(c, t.rows(), idx));
            }
        }
        Map<String, Long> labels = new TreeMap<>();
        int li = t.columnIndex(s.label());
        if (li >= 0) {
            for (List<String> row : t.rows()) {
                String v = row.get(li);
                if (!Missing.isMissing(v)) {
                    labels.merge(v.trim(), 1L, Long::sum);
                }
            }
        }
        return new Profile(t.rows().size(), features, labels);
    }

    private static FeatureProfile numeric(Column c, List<List<String>> rows, int idx) {
        SplittableRandom rnd = new SplittableRandom(SAMPLE_SEED);
        double[] reservoir = new double[SAMPLE_SIZE];
        long n = 0;
        long missing = 0;
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (List<String> row : rows) {
            String cell = row.get(idx);
            if (Missing.isMissing(cell) || !Numbers.isNumber(cell)) {
                missing++;
                continue;
            }
            double x = Numbers.parse(cell);
            if (n < SAMPLE_SIZE) {
                reservoir[(int) n] = x;
            } else {
                long j = rnd.nextLong(n + 1);
                if (j < SAMPLE_SIZE) {
                    reservoir[(int) j] = x;
                }
            }
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double[] sample = Arrays.copyOf(reservoir, (int) Math.min(n, SAMPLE_SIZE));
        return new FeatureProfile(c.name(), c.type(), n, missing,
                n > 0 ? mean : null,
                n > 1 ? Math.sqrt(m2 / (n - 1)) : null,
                n > 0 ? min : null,
                n > 0 ? max : null,
                sample, null);
    }

    private static FeatureProfile categorical(Column c, List<List<String>> rows, int idx) {
        Map<String, Long> cats = new TreeMap<>();
        long missing = 0;
        for (List<String> row : rows) {
            String cell = row.get(idx);
            if (Missing.isMissing(cell)) {
                missing++;
            } else {
                cats.merge(cell.trim(), 1L, Long::sum);
            }
        }
        long count = rows.size() - missing;
        return new FeatureProfile(c.name(), c.type(), count, missing, null, null, null, null, null, cats);
    }
}
