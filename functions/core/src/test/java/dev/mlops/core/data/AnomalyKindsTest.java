package dev.mlops.core.data;

import dev.mlops.core.Json;
import dev.mlops.core.errors.ContractException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every anomaly kind, each caught on a small crafted file with the right kind, column, rows, lines and severity.
 * Data row {@code i} (0-based) of these files is on line {@code i + 2}.
 */
class AnomalyKindsTest {

    private static final ValidationConfig DEFAULTS = ValidationConfig.defaults();

    /** {@code rows} clean rows: x = i + 0.5, colour cycling red/green/blue, label alternating a/b. */
    private static String clean(int rows) {
        StringBuilder sb = new StringBuilder("x,colour,label\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i + 0.5).append(',').append(List.of("red", "green", "blue").get(i % 3)).append(',')
                    .append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        return sb.toString();
    }

    /** The same file with the cell of data row {@code row}, column {@code col} replaced. */
    private static String with(String csv, int row, int col, String value) {
        String[] lines = csv.split("\n", -1);
        String[] cells = lines[row + 1].split(",", -1);
        cells[col] = value;
        lines[row + 1] = String.join(",", cells);
        return String.join("\n", lines);
    }

    private static DatasetScan scan(byte[] bytes, DatasetScanner.Mode mode, ValidationConfig config) {
        try {
            return DatasetScanner.scan(new ByteArrayInputStream(bytes), mode, config);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DatasetScan infer(String csv) {
        return infer(csv, DEFAULTS);
    }

    private static DatasetScan infer(String csv, ValidationConfig config) {
        return scan(csv.getBytes(StandardCharsets.UTF_8), DatasetScanner.Mode.infer("label"), config);
    }

    private static DatasetScan validate(String csv, Schema schema) {
        return validate(csv, schema, DEFAULTS);
    }

    private static DatasetScan validate(String csv, Schema schema, ValidationConfig config) {
        return scan(csv.getBytes(StandardCharsets.UTF_8), DatasetScanner.Mode.validate(schema), config);
    }

    /** The schema a first upload of 20 clean rows settles. */
    private static Schema accepted() {
        DatasetScan first = infer(clean(20));
        assertThat(first.valid()).isTrue();
        return first.schema();
    }

    private static Anomaly the(DatasetScan scan, AnomalyKind kind) {
        List<Anomaly> found = scan.anomalies().stream().filter(a -> a.kind() == kind).toList();
        assertThat(found).as("anomalies of kind %s in %s", kind, scan.anomalies()).hasSize(1);
        return found.get(0);
    }

    private static List<Long> lines(Anomaly a) {
        return a.examples().stream().map(Anomaly.Example::line).toList();
    }

    private static Set<AnomalyKind> kinds(DatasetScan scan) {
        return scan.anomalies().stream().map(Anomaly::kind).collect(Collectors.toSet());
    }

    private static ValidationConfig severity(AnomalyKind kind, Severity severity) {
        return new ValidationConfig(null, Map.of(kind, severity), null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aCleanFile_shouldBeValidWithoutAnyAnomaly_andItsSchemaShouldRecordWhatTheValuesLookedLike() {
        // WHEN
        DatasetScan scan = infer(clean(20));
        // THEN
        assertThat(scan.valid()).isTrue();
        assertThat(scan.anomalies()).isEmpty();
        assertThat(scan.rows()).isEqualTo(20);
        Schema s = scan.schema();
        assertThat(s.features()).containsExactly(new Column("x", ColumnType.NUMERIC),
                new Column("colour", ColumnType.CATEGORICAL));
        assertThat(s.domain("x")).isEqualTo(new Schema.Domain(0.5, 19.5, null, 1.0));
        assertThat(s.domain("colour").values()).containsExactly("blue", "green", "red");
        assertThat(s.labelValues()).containsExactly("a", "b");
        // and a later upload of the same rows is clean against it
        assertThat(validate(clean(20), s).anomalies()).isEmpty();
    }

    @Test
    void missingAndUnexpectedColumns_shouldBeNamed_anExtraColumnBeingConfigurable() {
        // GIVEN
        Schema schema = accepted();
        String noX = clean(20).replaceAll("(?m)^[^,\n]*,", "");
        String extra = clean(20).strip().replace("\n", ",1\n").replaceFirst(",1\n", ",extra\n") + ",1\n";
        // WHEN
        DatasetScan missing = validate(noX, schema);
        DatasetScan unexpected = validate(extra, schema);
        // THEN
        Anomaly m = the(missing, AnomalyKind.MISSING_COLUMN);
        assertThat(m.column()).isEqualTo("x");
        assertThat(m.severity()).isEqualTo(Severity.ERROR);
        assertThat(missing.valid()).isFalse();
        Anomaly u = the(unexpected, AnomalyKind.UNEXPECTED_COLUMN);
        assertThat(u.column()).isEqualTo("extra");
        assertThat(u.severity()).isEqualTo(Severity.ERROR);
        assertThat(validate(extra, schema,
                severity(AnomalyKind.UNEXPECTED_COLUMN, Severity.WARNING)).valid()).isTrue();
    }

    @Test
    void aFewTextCellsInANumericColumn_shouldBeTypeMismatches_whileMostlyTextMakesTheColumnCategorical() {
        // GIVEN 2 of 20 values (10 %, the default share) are not numbers: lines 5 and 9
        String few = with(with(clean(20), 3, 0, "abc"), 7, 0, "0x10");
        // 5 of 20 (25 %) are not numbers
        String many = few;
        for (int r : new int[] {10, 11, 12}) {
            many = with(many, r, 0, "n/k" + r);
        }
        // WHEN
        DatasetScan a = infer(few);
        DatasetScan b = infer(many);
        // THEN
        Anomaly t = the(a, AnomalyKind.TYPE_MISMATCH);
        assertThat(t.column()).isEqualTo("x");
        assertThat(t.rows()).isEqualTo(2);
        assertThat(lines(t)).containsExactly(5L, 9L);
        assertThat(t.examples()).extracting(Anomaly.Example::value).containsExactly("abc", "0x10");
        assertThat(t.severity()).isEqualTo(Severity.ERROR);
        assertThat(a.schema().feature("x").type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(b.schema().feature("x").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(kinds(b)).doesNotContain(AnomalyKind.TYPE_MISMATCH);
        // and against an accepted schema, one text cell is enough
        assertThat(the(validate(with(clean(20), 15, 0, "twelve"), accepted()), AnomalyKind.TYPE_MISMATCH).rows())
                .isEqualTo(1);
    }

    @Test
    void infiniteAndOverflowingNumbers_shouldBeNonFinite_notTurnTheColumnCategorical() {
        // GIVEN the issue's file: inf, 1e400, -Infinity and 0x10 in 4 of 150 rows
        String csv = clean(150);
        csv = with(csv, 10, 0, "inf");
        csv = with(csv, 20, 0, "1e400");
        csv = with(csv, 30, 0, "-Infinity");
        csv = with(csv, 40, 0, "0x10");
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        assertThat(scan.schema().feature("x").type()).isEqualTo(ColumnType.NUMERIC);
        Anomaly nf = the(scan, AnomalyKind.NON_FINITE);
        assertThat(nf.column()).isEqualTo("x");
        assertThat(nf.rows()).isEqualTo(3);
        assertThat(lines(nf)).containsExactly(12L, 22L, 32L);
        assertThat(nf.severity()).isEqualTo(Severity.ERROR);
        assertThat(lines(the(scan, AnomalyKind.TYPE_MISMATCH))).containsExactly(42L);
        assertThat(scan.valid()).isFalse();
        assertThat(scan.profile().features().get("x").invalid()).isEqualTo(4);
    }

    @Test
    void aColumnLessCompleteThanItsBaseline_shouldBeAWarning() {
        // GIVEN x is missing in 5 of 20 rows (75 % complete; the baseline is 100 %, tolerance 5 %)
        String csv = clean(20);
        for (int r : new int[] {1, 4, 7, 10, 13}) {
            csv = with(csv, r, 0, r % 2 == 0 ? "NA" : "");
        }
        // WHEN
        DatasetScan scan = validate(csv, accepted());
        // THEN
        Anomaly c = the(scan, AnomalyKind.COMPLETENESS);
        assertThat(c.column()).isEqualTo("x");
        assertThat(c.rows()).isEqualTo(5);
        assertThat(c.severity()).isEqualTo(Severity.WARNING);
        assertThat(c.message()).contains("75.0%").contains("100.0%");
        assertThat(scan.valid()).isTrue();
    }

    @Test
    void unseenCategoriesAndNumbersOutOfRange_shouldBeWarningsByDefault_andErrorsWhenConfigured() {
        // GIVEN
        String csv = with(with(clean(20), 2, 1, "purple"), 4, 0, "99999");
        // WHEN
        DatasetScan scan = validate(csv, accepted());
        DatasetScan strict = validate(csv, accepted(), severity(AnomalyKind.OUT_OF_RANGE, Severity.ERROR));
        // THEN
        Anomaly u = the(scan, AnomalyKind.UNSEEN_CATEGORY);
        assertThat(u.column()).isEqualTo("colour");
        assertThat(lines(u)).containsExactly(4L);
        assertThat(u.examples().get(0).value()).isEqualTo("purple");
        assertThat(u.severity()).isEqualTo(Severity.WARNING);
        Anomaly r = the(scan, AnomalyKind.OUT_OF_RANGE);
        assertThat(r.column()).isEqualTo("x");
        assertThat(lines(r)).containsExactly(6L);
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.message()).contains("[0.5, 19.5]").contains("99999");
        assertThat(scan.valid()).isTrue();
        assertThat(the(strict, AnomalyKind.OUT_OF_RANGE).severity()).isEqualTo(Severity.ERROR);
        assertThat(strict.valid()).isFalse();
    }

    @Test
    void missingAndUnseenLabels_shouldBeNamedWithTheirLines() {
        // GIVEN
        String csv = with(with(with(clean(20), 1, 2, "NA"), 5, 2, "c"), 9, 2, "c");
        // WHEN
        DatasetScan scan = validate(csv, accepted());
        // THEN
        Anomaly m = the(scan, AnomalyKind.MISSING_LABEL);
        assertThat(m.column()).isEqualTo("label");
        assertThat(lines(m)).containsExactly(3L);
        assertThat(m.severity()).isEqualTo(Severity.ERROR);
        Anomaly u = the(scan, AnomalyKind.UNSEEN_LABEL);
        assertThat(u.rows()).isEqualTo(2);
        assertThat(lines(u)).containsExactly(7L, 11L);
        assertThat(u.severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void aRowWithItsLabelButNoFeatureValue_shouldBeAWarningThatItIsDropped_andAnErrorWhenConfigured() {
        // GIVEN row 3 keeps its label, both features empty; row 6 has no x but its colour
        String csv = with(with(with(clean(20), 3, 0, ""), 3, 1, "NA"), 6, 0, "");
        // WHEN
        DatasetScan scan = validate(csv, accepted());
        DatasetScan strict = validate(csv, accepted(), severity(AnomalyKind.EMPTY_FEATURES, Severity.ERROR));
        // THEN only row 3 is one, on its line, and the file stays valid
        Anomaly e = the(scan, AnomalyKind.EMPTY_FEATURES);
        assertThat(e.column()).isNull();
        assertThat(e.rows()).isEqualTo(1);
        assertThat(lines(e)).containsExactly(5L);
        assertThat(e.severity()).isEqualTo(Severity.WARNING);
        assertThat(e.message()).contains("no feature value").contains("dropped from training");
        assertThat(scan.valid()).isTrue();
        assertThat(the(strict, AnomalyKind.EMPTY_FEATURES).severity()).isEqualTo(Severity.ERROR);
        assertThat(strict.valid()).isFalse();
        // AND the split leaves it out, the row with one feature value stays
        CsvTable table = TestTables.of(csv);
        int[] columns = SplitSpec.columns(table, accepted());
        assertThat(SplitSpec.learnable(table.rows().get(3), columns)).isFalse();
        assertThat(SplitSpec.learnable(table.rows().get(6), columns)).isTrue();
        Split split = SplitSpec.rowHash(1L, 0.3).split(table, accepted());
        assertThat(split.trainRows().size() + split.validationRows().size() + split.testRows().size()).isEqualTo(19);
        assertThat(split.trainRows()).doesNotContain(3);
        assertThat(split.testRows()).doesNotContain(3);
    }

    @Test
    void duplicateRowsAboveTheShare_shouldBeAWarningNamingTheCopies() {
        // GIVEN 3 copies of line 2 appended: 3 of 23 rows (13 %) > 10 %
        String base = clean(20);
        String first = base.split("\n")[1];
        String csv = base + first + "\n" + first + "\n" + first + "\n";
        // WHEN
        DatasetScan scan = infer(csv);
        DatasetScan few = infer(base + first + "\n", new ValidationConfig(null, null, null, null, 0.05, null, null,
                null, null, null, null));
        // THEN
        Anomaly d = the(scan, AnomalyKind.DUPLICATE_ROWS);
        assertThat(d.rows()).isEqualTo(3);
        assertThat(lines(d)).containsExactly(22L, 23L, 24L);
        assertThat(d.examples().get(0).value()).isEqualTo("same as line 2");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(kinds(few)).doesNotContain(AnomalyKind.DUPLICATE_ROWS); // 1 of 21 (4.8 %) is under 5 %
    }

    @Test
    void emptyFiles_shouldBeOneError() {
        assertThat(the(infer(""), AnomalyKind.EMPTY_FILE).severity()).isEqualTo(Severity.ERROR);
        assertThat(kinds(infer("\n\n\n"))).containsExactly(AnomalyKind.EMPTY_FILE);
        assertThat(infer("").schema()).isNull();
    }

    @Test
    void duplicateAndBlankHeaderNames_shouldBeErrorsOnLineOne() {
        // WHEN
        DatasetScan dup = infer(clean(20).replaceFirst("colour", "x"));
        DatasetScan blank = infer(clean(20).replaceFirst("colour", " "));
        // THEN
        Anomaly d = the(dup, AnomalyKind.DUPLICATE_HEADER_NAME);
        assertThat(d.column()).isEqualTo("x");
        assertThat(d.message()).contains("columns 1 and 2");
        assertThat(lines(d)).containsExactly(1L);
        Anomaly b = the(blank, AnomalyKind.EMPTY_HEADER_NAME);
        assertThat(b.message()).contains("header column 2");
        assertThat(dup.valid()).isFalse();
        assertThat(blank.valid()).isFalse();
    }

    @Test
    void raggedRows_shouldBeCountedWithTheirLines_andValidationShouldGoOn() {
        // GIVEN a row with an extra field (line 4) and one with a field short (line 7), and a text cell (line 10)
        String[] lines = clean(20).split("\n");
        lines[3] = lines[3] + ",extra";
        lines[6] = "1.5,red";
        String csv = with(String.join("\n", lines) + "\n", 8, 0, "oops");
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        Anomaly r = the(scan, AnomalyKind.RAGGED_ROW);
        assertThat(r.rows()).isEqualTo(2);
        assertThat(lines(r)).containsExactly(4L, 7L);
        assertThat(r.examples().get(0).value()).startsWith("4 fields: ");
        assertThat(r.severity()).isEqualTo(Severity.ERROR);
        assertThat(lines(the(scan, AnomalyKind.TYPE_MISMATCH))).containsExactly(10L);
        assertThat(scan.rows()).isEqualTo(20);
        assertThat(scan.profile().rows()).isEqualTo(18);
    }

    @Test
    void badQuoting_shouldBeAnErrorOnTheLineWhereItStarts() {
        // GIVEN text after a closing quote on line 5; a quote opened on line 8 and never closed
        String after = with(clean(20), 3, 1, "\"red\"dish");
        String unclosed = with(clean(20), 6, 1, "\"red");
        // WHEN
        DatasetScan a = infer(after);
        DatasetScan b = infer(unclosed);
        // THEN
        Anomaly q = the(a, AnomalyKind.BAD_QUOTING);
        assertThat(lines(q)).containsExactly(5L);
        assertThat(q.message()).contains("text after a closing quote");
        assertThat(a.complete()).isFalse();
        assertThat(a.rows()).isEqualTo(3); // the rows before it still count
        Anomaly u = the(b, AnomalyKind.BAD_QUOTING);
        assertThat(lines(u)).containsExactly(8L);
        assertThat(u.message()).contains("never closed");
        assertThat(b.valid()).isFalse();
    }

    @Test
    void invalidUtf8_shouldNameTheRowAndColumn_andTheRestShouldStillBeChecked() throws IOException {
        // GIVEN the colour of line 6 holds 0xC3 0x28 (not UTF-8), and line 12 a text cell in x
        String csv = with(clean(20), 10, 0, "bad");
        String[] parts = with(csv, 4, 1, "@@").split("@@");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(parts[0].getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        out.write(parts[1].getBytes(StandardCharsets.UTF_8));
        // WHEN
        DatasetScan scan = scan(out.toByteArray(), DatasetScanner.Mode.infer("label"), DEFAULTS);
        // THEN
        Anomaly u = the(scan, AnomalyKind.INVALID_UTF8);
        assertThat(u.column()).isEqualTo("colour");
        assertThat(lines(u)).containsExactly(6L);
        assertThat(u.severity()).isEqualTo(Severity.ERROR);
        assertThat(lines(the(scan, AnomalyKind.TYPE_MISMATCH))).containsExactly(12L);
        assertThat(scan.rows()).isEqualTo(20);
    }

    @Test
    void aByteOrderMark_shouldBeAWarning_andNotPartOfTheFirstColumnName() {
        // WHEN
        DatasetScan scan = infer("\uFEFF" + clean(20));
        // THEN
        assertThat(the(scan, AnomalyKind.BOM).severity()).isEqualTo(Severity.WARNING);
        assertThat(scan.schema().features().get(0).name()).isEqualTo("x");
        assertThat(scan.valid()).isTrue();
    }

    @Test
    void blankLinesBetweenRows_shouldBeSkippedWithAWarning_butNotAtTheEnd() {
        // GIVEN a blank line 5 and two blank lines at the end
        String[] lines = clean(20).split("\n");
        String csv = String.join("\n", List.of(lines).subList(0, 4)) + "\n\n"
                + String.join("\n", List.of(lines).subList(4, lines.length)) + "\n\n\n";
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        Anomaly b = the(scan, AnomalyKind.BLANK_LINE);
        assertThat(lines(b)).containsExactly(5L);
        assertThat(b.severity()).isEqualTo(Severity.WARNING);
        assertThat(scan.rows()).isEqualTo(20);
        assertThat(scan.valid()).isTrue();
    }

    @Test
    void aColumnWithoutAnyValue_shouldNotBecomeANumericFeatureSilently() {
        // GIVEN x is empty in every row (the issue's "100 % missing became a NUMERIC feature")
        String csv = clean(20);
        for (int r = 0; r < 20; r++) {
            csv = with(csv, r, 0, r % 2 == 0 ? "" : "NA");
        }
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        Anomaly e = the(scan, AnomalyKind.EMPTY_COLUMN);
        assertThat(e.column()).isEqualTo("x");
        assertThat(e.rows()).isEqualTo(20);
        assertThat(e.severity()).isEqualTo(Severity.ERROR);
        assertThat(scan.valid()).isFalse();
    }

    @Test
    void aFileWithOnlyTheLabel_shouldBeInvalidWithNoFeatures() {
        // GIVEN the issue's label-only CSV
        String csv = "label\n" + "a\nb\n".repeat(10);
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        assertThat(the(scan, AnomalyKind.NO_FEATURES).severity()).isEqualTo(Severity.ERROR);
        assertThat(scan.valid()).isFalse();
    }

    @Test
    void aHugeLabelCell_shouldBeOneShortenedExample_soTheReportStaysSmall() {
        // GIVEN a 5 MiB cell in the label column (line 4)
        String csv = with(clean(20), 2, 2, "z".repeat(5 * 1024 * 1024));
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        Anomaly t = the(scan, AnomalyKind.VALUE_TOO_LONG);
        assertThat(t.column()).isEqualTo("label");
        assertThat(lines(t)).containsExactly(4L);
        assertThat(t.examples().get(0).value()).hasSizeLessThan(120).endsWith("(5242880 characters)");
        assertThat(t.severity()).isEqualTo(Severity.ERROR);
        String report = Json.string(DatasetReport.of("d", "incoming/d/f.csv", null, scan, "inferred"));
        assertThat(report.length()).isLessThan(20_000);
        String html = ValidationReportHtml.render(DatasetReport.of("d", "incoming/d/f.csv", null, scan, "inferred"),
                scan.schema(), scan.profile());
        assertThat(html.length()).isLessThan(100_000);
    }

    @Test
    void filesTooSmallToTrain_shouldSayWhatIsMissing() {
        assertThat(kinds(infer(clean(4)))).contains(AnomalyKind.TOO_FEW_ROWS);
        DatasetScan oneClass = infer(clean(20).replace(",b\n", ",a\n"));
        assertThat(the(oneClass, AnomalyKind.TOO_FEW_CLASSES).column()).isEqualTo("label");
        DatasetScan lonely = infer(with(clean(20), 4, 2, "c"));
        assertThat(the(lonely, AnomalyKind.CLASS_TOO_SMALL).message()).contains("\"c\" has 1 row(s)");
    }

    @Test
    void tooManyBadRows_shouldStopValidationAndSaySo_whileTheWholeFileIsStillHashed() {
        // GIVEN 10 rows with a text cell, and a cap of 3 rows with errors
        String csv = clean(20);
        for (int r = 0; r < 10; r++) {
            csv = with(csv, r, 0, "bad" + r);
        }
        ValidationConfig cap = new ValidationConfig(null, null, 3L, 0.9, null, null, null, null, null, null, null);
        // WHEN
        DatasetScan scan = infer(csv, cap);
        // THEN
        assertThat(the(scan, AnomalyKind.VALIDATION_STOPPED).message()).contains("line 4");
        assertThat(the(scan, AnomalyKind.TYPE_MISMATCH).rows()).isEqualTo(3);
        assertThat(scan.sha256()).isEqualTo(dev.mlops.core.model.Sha256.hex(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void missingMarkers_shouldBeConfigurable() {
        // GIVEN "-" marks a missing value in this dataset; "NA" is then a text cell
        String csv = with(with(clean(20), 2, 0, "-"), 6, 0, "NA");
        ValidationConfig dash = DEFAULTS.withMissingMarkers(List.of("", "-"));
        // WHEN
        DatasetScan scan = infer(csv, dash);
        // THEN
        assertThat(scan.profile().features().get("x").missing()).isEqualTo(1);
        assertThat(lines(the(scan, AnomalyKind.TYPE_MISMATCH))).containsExactly(8L);
        assertThat(the(scan, AnomalyKind.TYPE_MISMATCH).message()).contains("an empty cell, -");
    }

    @Test
    void headerNamesWithDotsSlashesAndQuotes_shouldBeKeptAsWritten() {
        // GIVEN
        StringBuilder rows = new StringBuilder("\"x.box\",\"od280/od315\",\"say \"\"hi\"\"\",label\n");
        for (int i = 0; i < 12; i++) {
            rows.append(i).append(',').append(i * 2).append(',').append(i * 3).append(',').append(i % 2 == 0 ? "a" : "b")
                    .append('\n');
        }
        String csv = rows.toString();
        // WHEN
        DatasetScan scan = infer(csv);
        // THEN
        assertThat(scan.valid()).isTrue();
        assertThat(scan.schema().features()).extracting(Column::name).containsExactly("x.box", "od280/od315", "say \"hi\"");
        assertThat(validate(csv, scan.schema()).anomalies()).isEmpty();
    }

    @Test
    void aBlockingKind_cannotBeConfiguredAsAWarning() {
        assertThatThrownBy(() -> severity(AnomalyKind.TYPE_MISMATCH, Severity.WARNING))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("validation.severity.TYPE_MISMATCH cannot be WARNING");
        assertThat(Json.read("{\"severity\": {\"OUT_OF_RANGE\": \"ERROR\"}, \"missing_markers\": [\"-\"]}",
                ValidationConfig.class).severityOf(AnomalyKind.OUT_OF_RANGE)).isEqualTo(Severity.ERROR);
        assertThatThrownBy(() -> Json.read("{\"max_value_length\": 20000}", ValidationConfig.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("max_value_length must be at most 10000");
    }

    @Test
    void aLabelWithMoreClassesThanAClassifierIsMeantFor_shouldBeAnError() {
        // GIVEN every row its own class, and at most 5 classes allowed
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(",id-").append(i).append('\n');
        }
        ValidationConfig five = new ValidationConfig(null, null, null, null, null, null, null, null, null, null, 5);
        // WHEN
        DatasetScan scan = infer(csv.toString(), five);
        // THEN
        Anomaly t = the(scan, AnomalyKind.TOO_MANY_CLASSES);
        assertThat(t.column()).isEqualTo("label");
        assertThat(t.message()).contains("more than 5 distinct values");
        assertThat(kinds(scan)).doesNotContain(AnomalyKind.CLASS_TOO_SMALL);
    }
}
