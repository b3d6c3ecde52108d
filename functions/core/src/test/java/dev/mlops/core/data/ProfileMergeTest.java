package dev.mlops.core.data;

import dev.mlops.core.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** profile(A ∪ B) = merge(profile(A), profile(B)): exactly for counts, within the sketches' error otherwise. */
class ProfileMergeTest {

    private static final int ROWS = 20_000;
    private static final int SPLIT = 8_000;

    /** x: normal, n: integers 0..99 with 2 % missing, c: 5 categories, id: 3,000 distinct values. */
    private static List<String> rows() {
        SplittableRandom r = new SplittableRandom(11);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String n = r.nextInt(50) == 0 ? "NA" : String.valueOf(r.nextInt(100));
            rows.add(String.format(Locale.ROOT, "%.5f,%s,%s,id%d,%s", r.nextGaussian() * 3 + 10, n,
                    "c" + r.nextInt(5), r.nextInt(3_000), r.nextBoolean() ? "yes" : "no"));
        }
        return rows;
    }

    private static Profile profile(List<String> rows, Schema schema) throws IOException {
        String csv = "x,n,c,id,label\n" + String.join("\n", rows) + "\n";
        DatasetScan scan = DatasetScanner.scan(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                DatasetScanner.Mode.validate(schema), ValidationConfig.defaults());
        // Through JSON, as the profile of a part is stored and read back before merging.
        return Json.read(Json.bytes(scan.profile()), Profile.class);
    }

    @Test
    void mergedProfilesOfTwoParts_shouldEqualTheProfileOfTheWhole_exactlyForCountsAndWithinErrorOtherwise()
            throws IOException {
        // GIVEN
        List<String> all = rows();
        Schema schema = new Schema("label", List.of(new Column("x", ColumnType.NUMERIC),
                new Column("n", ColumnType.NUMERIC), new Column("c", ColumnType.CATEGORICAL),
                new Column("id", ColumnType.CATEGORICAL)));
        // WHEN
        Profile whole = profile(all, schema);
        Profile merged = Profile.merge(profile(all.subList(0, SPLIT), schema), profile(all.subList(SPLIT, ROWS), schema));
        // THEN exact: row, value, missing counts, minima, maxima, categories, labels
        assertThat(merged.rows()).isEqualTo(whole.rows()).isEqualTo(ROWS);
        assertThat(merged.labels()).isEqualTo(whole.labels());
        for (String name : List.of("x", "n", "c", "id")) {
            FeatureProfile m = merged.features().get(name);
            FeatureProfile w = whole.features().get(name);
            assertThat(m.count()).as(name).isEqualTo(w.count());
            assertThat(m.missing()).as(name).isEqualTo(w.missing());
            assertThat(m.min()).as(name).isEqualTo(w.min());
            assertThat(m.max()).as(name).isEqualTo(w.max());
        }
        assertThat(merged.features().get("n").missing()).isPositive();
        assertThat(merged.features().get("c").categories()).isEqualTo(whole.features().get("c").categories());
        // mean and standard deviation up to rounding
        for (String name : List.of("x", "n")) {
            assertThat(merged.features().get(name).mean()).isCloseTo(whole.features().get(name).mean(), within(1e-9));
            assertThat(merged.features().get(name).stddev()).isCloseTo(whole.features().get(name).stddev(), within(1e-9));
        }
        // quantiles within the KLL rank error: the merged p-quantile's rank in the real data is p ± 1.65 %
        double[] xs = all.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[0])).sorted().toArray();
        merged.features().get("x").quantiles().forEach((name, value) -> {
            double p = Integer.parseInt(name.substring(1)) / 100.0;
            double rank = (double) upperRank(xs, value) / xs.length;
            assertThat(rank).as(name).isCloseTo(p, within(0.0165));
        });
        // histogram bars, with the values outside their range, add up to the values
        FeatureProfile.Histogram histogram = merged.features().get("x").histogram();
        assertThat(Arrays.stream(histogram.counts()).sum() + histogram.outside()).isEqualTo(
                merged.features().get("x").count());
        // distinct counts: exact for few categories, within the HLL error (3 σ of 1.6 %) for many
        assertThat(merged.features().get("c").distinct()).isEqualTo(5);
        long ids = new HashSet<>(all.stream().map(l -> l.split(",")[3]).toList()).size();
        assertThat(merged.features().get("id").categories()).isNull(); // more than Profile.MAX_CATEGORIES
        assertThat((double) merged.features().get("id").distinct()).isCloseTo(ids, within(ids * 0.05));
        assertThat(merged.features().get("id").top()).hasSize(CategoricalStats.TOP);
        // the drift check's reference sample stays a full sample of the union
        assertThat(merged.features().get("x").sample()).hasSize(Profile.SAMPLE_SIZE);
        double[] sample = merged.features().get("x").sample();
        assertThat(Arrays.stream(sample).min().orElseThrow()).isGreaterThanOrEqualTo(xs[0]);
        assertThat(Arrays.stream(sample).max().orElseThrow()).isLessThanOrEqualTo(xs[xs.length - 1]);
    }

    private static int upperRank(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == value) {
            i++;
        }
        return i;
    }
}
