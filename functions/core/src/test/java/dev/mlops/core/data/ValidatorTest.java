package dev.mlops.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    private static String rows(int n) {
        StringBuilder sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < n; i++) {
            sb.append(i).append(',').append(i * 2).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        return sb.toString();
    }

    private static final Schema XY = new Schema("label",
            List.of(new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.NUMERIC)));

    @Test
    void validate_shouldAcceptCleanTable() {
        // GIVEN
        CsvTable t = TestTables.of(rows(12));
        // WHEN
        ValidationReport r = Validator.validate(t, XY);
        // THEN
        assertThat(r.valid()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.rows()).isEqualTo(12);
        assertThat(r.columns()).isEqualTo(3);
        assertThat(r.labelCounts()).isEqualTo(Map.of("a", 6L, "b", 6L));
        assertThat(r.missingByColumn()).isEqualTo(Map.of("x", 0L, "y", 0L, "label", 0L));
    }

    @Test
    void validate_shouldReportNonNumericCellWithLineAndColumn() {
        // GIVEN: data row index 4 is on line 6
        CsvTable t = TestTables.of(rows(12).replace("\n4,8,a\n", "\n4,abc,a\n"));
        // WHEN
        ValidationReport r = Validator.validate(t, XY);
        // THEN
        assertThat(r.valid()).isFalse();
        assertThat(r.problemCount()).isEqualTo(1);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(Problem.NOT_NUMERIC);
            assertThat(p.column()).isEqualTo("y");
            assertThat(p.line()).isEqualTo(6L);
            assertThat(p.message()).contains("line 6").contains("\"abc\"");
        });
    }

    @Test
    void validate_shouldReportMissingColumnMissingLabelsAndClassSizes_butNotAnExtraColumnTrainingIgnores() {
        // GIVEN
        CsvTable t = TestTables.of("x,z,label\n1,1,a\n2,2,NA\n3,3,a\n4,4,b\n");
        // WHEN
        ValidationReport r = Validator.validate(t, XY);
        // THEN
        assertThat(r.problems()).extracting(Problem::code).containsExactlyInAnyOrder(
                Problem.MISSING_COLUMN, Problem.MISSING_LABEL,
                Problem.TOO_FEW_ROWS, Problem.CLASS_TOO_SMALL);
        assertThat(r.problems()).filteredOn(p -> p.code().equals(Problem.MISSING_LABEL))
                .singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(3L));
        assertThat(r.problems()).filteredOn(p -> p.code().equals(Problem.CLASS_TOO_SMALL))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("\"b\" has 1 row(s)"));
        assertThat(r.missingByColumn()).containsEntry("label", 1L);
    }

    @Test
    void validate_shouldRequireTwoClasses() {
        // GIVEN
        CsvTable t = TestTables.of(rows(12).replace(",b\n", ",a\n"));
        // WHEN
        ValidationReport r = Validator.validate(t, XY);
        // THEN
        assertThat(r.problems()).extracting(Problem::code).containsExactly(Problem.TOO_FEW_CLASSES);
    }

    @Test
    void validate_shouldReportEveryBadRowOfAColumnAsOneProblemCountingThemAll() {
        // GIVEN
        StringBuilder sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 150; i++) {
            sb.append("bad,").append(i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        // WHEN
        ValidationReport r = Validator.validate(TestTables.of(sb.toString()), XY);
        // THEN
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("150 value(s)"));
        assertThat(r.problemCount()).isEqualTo(150);
        assertThat(r.valid()).isFalse();
    }
}
