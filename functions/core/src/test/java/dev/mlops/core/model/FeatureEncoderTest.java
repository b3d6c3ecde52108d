package dev.mlops.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.errors.InvalidInstanceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.Feature;

class FeatureEncoderTest {

    private static final ModelSignature SIG = new ModelSignature(List.of(
            new Column("size", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL)),
            "label", List.of("a", "b"));

    @Test
    void encode_shouldMapNumericToValueAndCategoricalToOneHot() {
        // GIVEN
        FeatureEncoder enc = new FeatureEncoder(SIG);
        // WHEN
        List<Feature> fromStrings = enc.encode(Map.of("size", " 2.5", "colour", " red "), 0);
        List<Feature> fromObjects = enc.encode(Map.of("size", 2.5, "colour", "red"), 0);
        // THEN
        assertThat(fromStrings).extracting(Feature::getName).containsExactly("size", "colour=red");
        assertThat(fromStrings).extracting(Feature::getValue).containsExactly(2.5, 1.0);
        assertThat(fromObjects).isEqualTo(fromStrings);
    }

    @Test
    void encode_shouldOmitMissingValues() {
        // GIVEN
        FeatureEncoder enc = new FeatureEncoder(SIG);
        Map<String, Object> row = new HashMap<>();
        row.put("size", "NA");
        row.put("colour", null);
        // WHEN
        List<Feature> f = enc.encode(row, 0);
        List<Feature> absent = enc.encode(Map.of("colour", "?"), 0);
        // THEN
        assertThat(f).isEmpty();
        assertThat(absent).isEmpty();
    }

    @Test
    void encode_shouldRejectStructuredCategoricalValue() {
        // GIVEN
        FeatureEncoder enc = new FeatureEncoder(SIG);
        // WHEN / THEN
        assertThatThrownBy(() -> enc.encode(Map.of("colour", List.of("red")), 4))
                .isInstanceOf(InvalidInstanceException.class)
                .hasMessage("instances[4].colour: expected a string, got an array");
    }
}
