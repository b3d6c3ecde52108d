package dev.mlops.core.data;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Summary statistics of one feature column.
 *
 * @param name       column name
 * @param type       column type
 * @param count      number of non-missing cells
 * @param missing    number of missing cells
 * @param mean       mean of the numeric values ({@code null} if categorical or no value)
 * @param stddev     sample standard deviation, n-1 denominator ({@code null} if categorical or fewer than 2 values)
 * @param min        minimum ({@code null} if categorical or no value)
 * @param max        maximum ({@code null} if categorical or no value)
 * @param sample     reservoir sample (seed {@value Profile#SAMPLE_SEED}) of at most {@value Profile#SAMPLE_SIZE}
 *                   non-missing values, in reservoir order; {@code null} for categorical features
 * @param categories count per (trimmed) category value, {@code null} for numeric features
 */
public record FeatureProfile(String name, ColumnType type, long count, long missing, Double mean, Double stddev,
                             Double min, Double max, double[] sample, Map<String, Long> categories) {

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureProfile f && name.equals(f.name) && type == f.type && count == f.count
                && missing == f.missing && Objects.equals(mean, f.mean) && Objects.equals(stddev, f.stddev)
                && Objects.equals(min, f.min) && Objects.equals(max, f.max) && Arrays.equals(sample, f.sample)
                && Objects.equals(categories, f.categories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, count, missing, mean, stddev, min, max, Arrays.hashCode(sample), categories);
    }

    @Override
    public String toString() {
        return "FeatureProfile[name=" + name + ", type=" + type + ", count=" + count + ", missing=" + missing
                + ", mean=" + mean + ", stddev=" + stddev + ", min=" + min + ", max=" + max + ", sample="
                + (sample == null ? "null" : sample.length + " values") + ", categories=" + categories + "]";
    }
}
