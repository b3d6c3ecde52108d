package dev.mlops.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void infer_shouldTreatNaAsMissingAndKeepPimaFeaturesNumeric() {
        // GIVEN
        CsvTable pima = TestTables.file("../../data/pima.csv");
        // WHEN
        Schema s = Schema.infer(pima, "diabetes");
        // THEN
        assertThat(s.label()).isEqualTo("diabetes");
        assertThat(s.features()).hasSize(8).allSatisfy(c -> assertThat(c.type()).isEqualTo(ColumnType.NUMERIC));
        assertThat(s.features()).extracting(Column::name).doesNotContain("diabetes").contains("insulin");
        assertThat(s.columnNames()).containsExactly("pregnant", "glucose", "pressure", "triceps", "insulin", "mass",
                "pedigree", "age", "diabetes");
    }

    @Test
    void infer_shouldDetectCategoricalColumnAndKeepNumericLabelCategorical() {
        // GIVEN
        CsvTable t = TestTables.of("size,colour,cls\n1.5,red,0\n2,blue,1\nNA,?,0\n3,3,1\n");
        // WHEN
        Schema s = Schema.infer(t, "cls");
        // THEN
        assertThat(s.features()).containsExactly(
                new Column("size", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL));
        assertThat(s.label()).isEqualTo("cls");
    }

    @Test
    void infer_shouldRejectAbsentLabelColumnWithClearMessage() {
        // GIVEN
        CsvTable t = TestTables.of("a,b\n1,2\n");
        // WHEN / THEN
        assertThatThrownBy(() -> Schema.infer(t, "label"))
                .isInstanceOf(SchemaException.class)
                .hasMessage("label column \"label\" not found; the header has: a, b");
    }

    @Test
    void infer_shouldKeepWineHeaderWithSlash() {
        // GIVEN
        CsvTable wine = TestTables.file("../../data/wine.csv");
        // WHEN
        Schema s = Schema.infer(wine, "label");
        // THEN
        assertThat(s.feature("od280/od315_of_diluted_wines")).isEqualTo(
                new Column("od280/od315_of_diluted_wines", ColumnType.NUMERIC));
        assertThat(s.features()).hasSize(13);
    }
}
