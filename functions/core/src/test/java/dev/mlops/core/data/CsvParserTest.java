package dev.mlops.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvParserTest {

    private static CsvTable parse(String csv) throws CsvFormatException {
        return parse(csv, CsvLimits.DEFAULT);
    }

    private static CsvTable parse(String csv, CsvLimits limits) throws CsvFormatException {
        return CsvParser.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), limits);
    }

    private static CsvFormatException failure(String csv, CsvLimits limits) {
        return catchThrowableOfType(CsvFormatException.class, () -> parse(csv, limits));
    }

    private static CsvFormatException failure(String csv) {
        return failure(csv, CsvLimits.DEFAULT);
    }

    @Test
    void parse_shouldHandleQuotesEscapesEmbeddedCommasAndNewlines() throws Exception {
        // GIVEN
        String csv = "\"x.box\",b,c\n\"a,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,last\n";
        // WHEN
        CsvTable t = parse(csv);
        // THEN
        assertThat(t.header()).containsExactly("x.box", "b", "c");
        assertThat(t.rows()).containsExactly(
                List.of("a,1", "say \"hi\"", "two\nlines"),
                List.of("plain", "", "last"));
        assertThat(t.columnIndex("c")).isEqualTo(2);
        assertThat(t.columnIndex("nope")).isEqualTo(-1);
    }

    @Test
    void parse_shouldAcceptCrlfBomAndMissingFinalNewline() throws Exception {
        // GIVEN
        String csv = "\uFEFFa,b\r\n1,2\r\n3,4";
        // WHEN
        CsvTable t = parse(csv);
        // THEN
        assertThat(t.header()).containsExactly("a", "b");
        assertThat(t.rows()).containsExactly(List.of("1", "2"), List.of("3", "4"));
    }

    @Test
    void parse_shouldIgnoreTrailingEmptyLines() throws Exception {
        // GIVEN
        String csv = "a,b\n1,2\n\n\r\n";
        // WHEN
        CsvTable t = parse(csv);
        // THEN
        assertThat(t.rows()).hasSize(1);
    }

    @Test
    void parse_shouldKeepHeaderOnlyFileAsEmptyTable() throws Exception {
        // GIVEN / WHEN
        CsvTable t = parse("a,b\n");
        // THEN
        assertThat(t.header()).containsExactly("a", "b");
        assertThat(t.rows()).isEmpty();
    }

    @Test
    void parse_shouldRejectEmptyFile() {
        // GIVEN / WHEN
        CsvFormatException e = failure("");
        CsvFormatException bomOnly = failure("\uFEFF\n\n");
        // THEN
        assertThat(e.getMessage()).contains("empty file");
        assertThat(e.line()).isEqualTo(1);
        assertThat(bomOnly.getMessage()).contains("empty file");
    }

    @Test
    void parse_shouldReportRaggedRowWithPhysicalLineNumber() {
        // GIVEN: the quoted field of line 3 spans two lines, so the ragged record starts on line 7
        String csv = "a,b,c,d,e\n1,2,3,4,5\n1,\"x\ny\",3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4\n";
        // WHEN
        CsvFormatException e = failure(csv.replace("1,2,3,4\n", "1,2,3,4,5\n1,2,3,4\n"));
        // THEN
        assertThat(e.getMessage()).isEqualTo("line 8 has 4 fields, header has 5");
        assertThat(e.line()).isEqualTo(8);
        assertThat(failure(csv).getMessage()).isEqualTo("line 7 has 4 fields, header has 5");
    }

    @Test
    void parse_shouldReportUnterminatedQuoteWithStartLine() {
        // GIVEN
        String csv = "a,b\n1,2\n3,\"oops\n4,5\n";
        // WHEN
        CsvFormatException e = failure(csv);
        // THEN
        assertThat(e.getMessage()).startsWith("line 3: a quoted value is opened and never closed");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void parse_shouldRejectTextAfterClosingQuote() {
        // GIVEN / WHEN
        CsvFormatException e = failure("a,b\n1,\"2\"x\n");
        // THEN
        assertThat(e.getMessage()).startsWith("line 2: text after a closing quote ('x'");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void parse_shouldRejectBlankAndDuplicateHeaderNames() {
        // GIVEN / WHEN
        CsvFormatException blank = failure("a, ,c\n1,2,3\n");
        CsvFormatException dup = failure("a,b,\"a\"\n1,2,3\n");
        // THEN
        assertThat(blank.getMessage()).isEqualTo("header column 2 on line 1 is blank: every column needs a name");
        assertThat(blank.line()).isEqualTo(1);
        assertThat(dup.getMessage()).startsWith("header name \"a\" is used by columns 1 and 3 on line 1");
    }

    @Test
    void parse_shouldSkipBlankLinesBetweenRows_asValidationDoes() throws Exception {
        // GIVEN / WHEN
        CsvTable t = parse("a,b\n1,2\n\n3,4\n");
        // THEN
        assertThat(t.rows()).containsExactly(List.of("1", "2"), List.of("3", "4"));
    }

    @Test
    void parse_shouldEnforceRowColumnAndByteLimits() {
        // GIVEN
        CsvLimits limits = new CsvLimits(1_000, 2, 3);
        // WHEN
        CsvFormatException rows = failure("a,b\n1,2\n3,4\n5,6\n", limits);
        CsvFormatException cols = failure("a,b,c,d\n1,2,3,4\n", limits);
        CsvFormatException bytes = failure("a,b\n" + "1,2\n".repeat(300), new CsvLimits(1_000, 1_000, 3));
        // THEN
        assertThat(rows.getMessage()).isEqualTo("more than 2 data rows (limit exceeded on line 4)");
        assertThat(rows.line()).isEqualTo(4);
        assertThat(cols.getMessage()).contains("header has more than 3 columns");
        assertThat(cols.line()).isEqualTo(1);
        assertThat(bytes.getMessage()).contains("larger than the limit of 1000 bytes");
    }

    @Test
    void parse_shouldRejectInvalidUtf8() {
        // GIVEN
        byte[] bad = {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n'};
        // WHEN / THEN
        assertThatThrownBy(() -> CsvParser.parse(new ByteArrayInputStream(bad), CsvLimits.DEFAULT))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void parse_shouldReadRealPimaFileWithQuotedHeader() throws Exception {
        // GIVEN
        try (InputStream in = Files.newInputStream(Path.of("../../data/pima.csv"))) {
            // WHEN
            CsvTable t = CsvParser.parse(in, CsvLimits.DEFAULT);
            // THEN
            assertThat(t.header()).containsExactly("pregnant", "glucose", "pressure", "triceps", "insulin", "mass",
                    "pedigree", "age", "diabetes");
            assertThat(t.rows()).hasSize(768);
            assertThat(t.rows().get(0)).containsExactly("6", "148", "72", "35", "NA", "33.6", "0.627", "50", "pos");
        }
    }
}
