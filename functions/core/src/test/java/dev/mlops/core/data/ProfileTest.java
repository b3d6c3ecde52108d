package dev.mlops.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {

    @Test
    void of_shouldMatchIndependentlyComputedIrisStatistics() throws Exception {
        // GIVEN: statistics computed by streaming the raw file, independent of the parser
        double sum = 0;
        double sumSq = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int n = 0;
        Map<String, Long> labels = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of("../../data/iris.csv"))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                double v = Double.parseDouble(f[2]);
                sum += v;
                sumSq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                n++;
                labels.merge(f[4], 1L, Long::sum);
            }
        }
        double mean = sum / n;
        double sd = Math.sqrt((sumSq - n * mean * mean) / (n - 1));
        CsvTable iris = TestTables.file("../../data/iris.csv");
        // WHEN
        Profile p = Profile.of(iris, Schema.infer(iris, "label"));
        // THEN
        FeatureProfile petal = p.features().get("petal_length_cm");
        assertThat(p.rows()).isEqualTo(n);
        assertThat(petal.count()).isEqualTo(n);
        assertThat(petal.missing()).isZero();
        assertThat(petal.mean()).isCloseTo(mean, within(1e-9));
        assertThat(petal.stddev()).isCloseTo(sd, within(1e-9));
        assertThat(petal.min()).isEqualTo(min);
        assertThat(petal.max()).isEqualTo(max);
        assertThat(petal.sample()).hasSize(n);
        assertThat(petal.categories()).isNull();
        assertThat(p.labels()).isEqualTo(labels);
        assertThat(p.features().keySet()).containsExactly(
                "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm");
    }

    @Test
    void of_shouldCountMissingAndCategoriesAndCapSampleDeterministically() throws Exception {
        // GIVEN
        StringBuilder sb = new StringBuilder("v,c,label\n");
        for (int i = 0; i < 5_000; i++) {
            sb.append(i % 10 == 0 ? "NA" : String.valueOf(i)).append(',')
                    .append(i % 3 == 0 ? "red" : "blue").append(',').append(i % 2).append('\n');
        }
        CsvTable t = TestTables.of(sb.toString());
        Schema s = Schema.infer(t, "label");
        // WHEN
        Profile p1 = Profile.of(t, s);
        Profile p2 = Profile.of(t, s);
        // THEN
        FeatureProfile v = p1.features().get("v");
        assertThat(v.missing()).isEqualTo(500);
        assertThat(v.count()).isEqualTo(4_500);
        assertThat(v.sample()).hasSize(Profile.SAMPLE_SIZE);
        assertThat(v.sample()).isEqualTo(p2.features().get("v").sample());
        assertThat(java.util.Arrays.stream(v.sample()).filter(x -> x % 10 == 0).count()).isZero();
        assertThat(p1.features().get("c").categories()).isEqualTo(Map.of("red", 1667L, "blue", 3333L));
        assertThat(p1.features().get("c").sample()).isNull();
        assertThat(p1.labels()).isEqualTo(Map.of("0", 2500L, "1", 2500L));
    }

    @Test
    void profile_shouldRoundTripThroughPlainJackson() throws Exception {
        // GIVEN
        CsvTable t = TestTables.of("v,c,label\n1,x,a\n2,y,b\nNA,x,a\n");
        Profile p = Profile.of(t, Schema.infer(t, "label"));
        ObjectMapper om = dev.mlops.core.Json.MAPPER;
        // WHEN
        Profile back = om.readValue(om.writeValueAsString(p), Profile.class);
        // THEN
        assertThat(back).isEqualTo(p);
        assertThat(om.readValue(om.writeValueAsString(List.of(Validator.validate(t, Schema.infer(t, "label")))),
                ValidationReport[].class)[0].problems()).isNotEmpty();
    }
}
