package dev.mlops.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayoutTest {

    @Test
    void parseUpload_shouldAcceptACsvDirectlyUnderItsDataset() {
        assertThat(Layout.parseUpload("incoming/iris/iris data (1).csv"))
                .contains(new Layout.Upload("iris", "iris data (1).csv"));
    }

    @Test
    void parseUpload_shouldIgnoreKeysOutsideIncoming() {
        assertThat(Layout.parseUpload("models/iris/1/model.tribuo")).isEmpty();
        assertThat(Layout.parseUpload(null)).isEmpty();
    }

    @Test
    void parseUpload_shouldRefuseHostileOrMalformedKeys() {
        assertThatThrownBy(() -> Layout.parseUpload("incoming/iris.csv")).hasMessageContaining("incoming/<dataset>/<file>.csv");
        assertThatThrownBy(() -> Layout.parseUpload("incoming/../etc/x.csv")).hasMessageContaining("dataset name");
        assertThatThrownBy(() -> Layout.parseUpload("incoming/iris/sub/x.csv")).hasMessageContaining("one file directly");
        assertThatThrownBy(() -> Layout.parseUpload("incoming/iris/..csv")).hasMessageContaining("one file directly");
        assertThatThrownBy(() -> Layout.parseUpload("incoming/Iris/x.csv")).hasMessageContaining("dataset name");
        assertThatThrownBy(() -> Layout.parseUpload("incoming/iris/x.txt")).hasMessageContaining("not a .csv");
    }

    @Test
    void names_shouldFollowOneStrictPattern() {
        assertThat(Names.isValid("breast_cancer-2")).isTrue();
        assertThat(Names.isValid("-iris")).isFalse();
        assertThat(Names.isValid("a".repeat(41))).isFalse();
        assertThat(Names.isValid("iris:predict")).isFalse();
        assertThatThrownBy(() -> Names.require("model", "../x")).hasMessageContaining("model name \"../x\" is invalid");
    }
}
