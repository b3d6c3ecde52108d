package dev.mlops.core.data;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines split from their bytes ({@link PlainLines}) read exactly as FastCSV reads them: the same header, records
 * (fields, lines), anomalies, hash and completeness as {@link CsvStream} with every line through the parser.
 */
class PlainLinesTest {

    static Stream<String> files() {
        return Stream.of(
                "a,b,label\n1,2,x\n3,4,y\n",
                "a,b\r\n1,2\r\n3,4\r\n",
                "a,b,c\n,,\n1,,3\n,2,\n",
                "a,b\nNA,?\nnull,-\n",
                "a,b\n\"x,y\",2\n3,4\n",
                "a,b\n\"he said \"\"hi\"\"\",1\n2,3\n",
                "a,b\n\"x\ny\",1\n2,3\n",
                "\uFEFFa,b\n1,2\n",
                "a,city\n1,Zürich\n2,Kraków\n3,plain\n",
                "a,b\n1,2\n3,\"open\n4,5\n",
                "a,b\n\"x\"y,1\n2,3\n",
                "a,b\n\n1,2\n\n\n3,4\n\n",
                "\n\na,b\n1,2\n",
                "a,b\r1,2\r3,4\r",
                "a,b\n1,2\r",
                "a,b\n1,2",
                "a,b\n1\n1,2,3\n",
                "a,b\n 1 ,\t2\n",
                "",
                "\n",
                "a,b\n1,2\n\"\"\n",
                "a,b\n1,\"x\"\n",
                "a,b\n1,\"x\"\"\"\n",
                "a,b\n1,2\n3,\u0001\n",
                "a,b\n1,2\n3,~\u007f\n");
    }

    @ParameterizedTest
    @MethodSource("files")
    void aFile_shouldReadTheSameFromBytesAsThroughTheParser(String text) throws IOException {
        // GIVEN / WHEN / THEN
        assertSameRead(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesThatAreNotUtf8_shouldBeReportedOnTheirLineAsThroughTheParser() throws IOException {
        // GIVEN plain lines, then a line with a byte that is not UTF-8, then plain lines again
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("a,b\n1,2\n3,".getBytes(StandardCharsets.UTF_8));
        file.write(0xFF);
        file.writeBytes("\n5,6\n".getBytes(StandardCharsets.UTF_8));

        // WHEN / THEN
        Recorded read = assertSameRead(file.toByteArray());
        assertThat(read.entries()).anySatisfy(e -> assertThat(e.kind()).isEqualTo(AnomalyKind.INVALID_UTF8));
    }

    @Test
    void aLineLongerThanPlainLinesRead_shouldGoToTheParserWhole() throws IOException {
        // GIVEN a plain line of more than a mebibyte between short ones
        String text = "a,b\n1,2\n" + "x".repeat(PlainLines.MAX_LINE + 10) + ",3\n4,5\n";

        // WHEN / THEN
        Recorded read = assertSameRead(text.getBytes(StandardCharsets.UTF_8));
        assertThat(read.records()).hasSize(4);
    }

    @Test
    void randomFilesMixingPlainAndQuotedLines_shouldReadTheSameAsThroughTheParser() throws IOException {
        // GIVEN random files of cells that are plain, quoted, empty, non-ASCII, with LF, CRLF and blank lines
        String[] cells = {"1", "-2.5", "", " ", "x", "NA", "\"q\"", "\"a,b\"", "\"l\nb\"", "é", "\"\"", "\t", "3e-7",
            "\"x\"\"y\""};
        String[] ends = {"\n", "\n", "\n", "\r\n", "\n\n"};
        SplittableRandom r = new SplittableRandom(22);
        for (int f = 0; f < 400; f++) {
            StringBuilder sb = new StringBuilder(r.nextInt(10) == 0 ? "\uFEFF" : "");
            int columns = r.nextInt(1, 5);
            int lines = r.nextInt(0, 30);
            for (int l = 0; l < lines; l++) {
                int fields = r.nextInt(10) == 0 ? r.nextInt(1, 7) : columns;
                for (int c = 0; c < fields; c++) {
                    sb.append(c == 0 ? "" : ",").append(r.nextInt(4) == 0 ? cells[r.nextInt(cells.length)]
                            : cells[r.nextInt(2)]);
                }
                if (l < lines - 1 || r.nextBoolean()) {
                    sb.append(ends[r.nextInt(ends.length)]);
                }
            }

            // WHEN / THEN
            assertSameRead(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLineThatIsNotPlain_shouldBeLeftWholeForTheParser() throws IOException {
        // GIVEN a plain line, then a quoted one
        PlainLines lines = new PlainLines(new ByteArrayInputStream("1,2\r\n\"q\",3\n".getBytes(StandardCharsets.UTF_8)));
        Row row = new Row();

        // WHEN
        PlainLines.Next first = lines.next(row);
        List<String> fields = List.of(row.text(0), row.text(1));
        PlainLines.Next second = lines.next(row);

        // THEN the first is read, the second is not, and the rest starts where it does
        assertThat(first).isEqualTo(PlainLines.Next.ROW);
        assertThat(fields).containsExactly("1", "2");
        assertThat(row.line()).isEqualTo(2);
        assertThat(second).isEqualTo(PlainLines.Next.NOT_PLAIN);
        assertThat(lines.lines()).isEqualTo(1);
        assertThat(new String(lines.rest().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("\"q\",3\n");
    }

    /** What reading a file gave: the header and records as text, the anomalies, and the hash and completeness. */
    record Recorded(List<String> records, List<PartScan.Entry> entries, CsvStream.Read read) {
    }

    private static Recorded assertSameRead(byte[] file) throws IOException {
        Recorded fromBytes = read(file, true);
        Recorded parsed = read(file, false);
        assertThat(fromBytes.records()).as(printable(file)).isEqualTo(parsed.records());
        assertThat(fromBytes.entries()).as(printable(file)).isEqualTo(parsed.entries());
        assertThat(fromBytes.read()).as(printable(file)).isEqualTo(parsed.read());
        return fromBytes;
    }

    private static Recorded read(byte[] file, boolean plainLines) throws IOException {
        AnomalyLog log = new AnomalyLog(ValidationConfig.defaults());
        List<String> records = new ArrayList<>();
        CsvStream.Sink sink = new CsvStream.Sink() {
            @Override
            public void header(String[] names, long line) {
                records.add("header " + line + ": " + String.join("|", names));
            }

            @Override
            public void row(Row row) {
                StringBuilder sb = new StringBuilder(row.line() + (row.invalidUtf8() ? " (not UTF-8)" : "") + ": ");
                for (int i = 0; i < row.size(); i++) {
                    sb.append(i == 0 ? "" : "|").append(row.text(i));
                }
                records.add(sb.toString());
            }

            @Override
            public boolean stopped() {
                return false;
            }
        };
        InputStream in = new ByteArrayInputStream(file);
        CsvStream.Read read = CsvStream.read(in, log, sink, plainLines);
        return new Recorded(records, log.entries(), read);
    }

    private static String printable(byte[] file) {
        return new String(file, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
    }
}
