package dev.mlops.core.data;

import dev.mlops.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A file scanned in parts (settle, scan each byte range, merge in order) gives the scan of one pass: the same
 * verdict, row counts and anomalies (counts, examples, lines, sentences), profile counts exact, quantiles within
 * the KLL sketch's rank error; and where parts cannot (a boundary inside a quoted line break) the merge says so.
 */
class PartScanMergeTest {

    private static final int ROWS = 6_000;
    /** Rows of the file split at every line (each part costs a merge: fewer rows keep the test short). */
    private static final int ROWS_LINE_BY_LINE = 1_600;

    /**
     * x: normal, 4 decimals, with a few "abc" and a few missing; n: integers 0..99; c: 3 categories, one quoted
     * with a comma inside (and with {@code lineBreaks}, in two rows a quoted value with a line break); label:
     * 3 classes. Also: ragged rows, blank lines between rows, rows repeated (near and far), one invalid UTF-8 byte.
     */
    private static byte[] file(boolean lineBreaks) {
        return file(ROWS, lineBreaks);
    }

    private static byte[] file(int rows, boolean lineBreaks) {
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("x,n,c,label\n");
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String row;
            if (i % 997 == 500) {
                row = "1.5,2"; // ragged
            } else if (i % 1_201 == 300 && !earlier.isEmpty()) {
                row = earlier.get(r.nextInt(earlier.size())); // a repeat of an earlier row
            } else {
                String x = i % 613 == 7 ? "abc" : i % 211 == 3 ? "" : String.format(Locale.ROOT, "%.4f",
                        r.nextGaussian() * 2 + 5);
                String c = switch (r.nextInt(5)) {
                    case 0 -> "\"red, dark\"";
                    case 1 -> "blue";
                    default -> "green";
                };
                if (lineBreaks && (i == 1_000 || i == rows - 2_000)) {
                    c = "\"two\nlines\"";
                }
                row = x + "," + r.nextInt(100) + "," + c + "," + "abc".charAt(r.nextInt(3));
            }
            earlier.add(row);
            csv.append(row).append('\n');
            if (i % 1_500 == 1_499) {
                csv.append("\n\n"); // blank lines between rows
            }
        }
        byte[] text = csv.toString().getBytes(StandardCharsets.UTF_8);
        // one byte that is not UTF-8, in a cell of n near the middle
        int at = indexOf(text, ",42,".getBytes(StandardCharsets.UTF_8), text.length / 2);
        text[at + 1] = (byte) 0xFF;
        return text;
    }

    private static Schema schema() {
        return new Schema("label", List.of(new Column("x", ColumnType.NUMERIC), new Column("n", ColumnType.NUMERIC),
                new Column("c", ColumnType.CATEGORICAL)), List.of("a", "b"),
                Map.of("n", Schema.Domain.numeric(0.0, 90.0, 1.0)));
    }

    @ParameterizedTest(name = "parts of about {0} bytes")
    @ValueSource(longs = {1, 97, 4_096, 50_000, 10_000_000})
    void partsMerged_shouldGiveTheScanOfOnePass_againstASchema(long partBytes) throws IOException {
        // GIVEN a file with every kind of row, and a schema some rows break (n above 90, label c)
        byte[] file = partBytes == 1 ? file(ROWS_LINE_BY_LINE, false) : file(false);
        DatasetScanner.Mode mode = DatasetScanner.Mode.validate(schema());
        // WHEN scanned in one pass and in parts
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(file), mode, ValidationConfig.defaults());
        DatasetScan parts = merged(file, partBytes, mode);
        // THEN
        assertSame(one, parts, file);
        assertThat(one.anomalies()).extracting(Anomaly::kind).contains(AnomalyKind.RAGGED_ROW,
                AnomalyKind.TYPE_MISMATCH, AnomalyKind.OUT_OF_RANGE, AnomalyKind.UNSEEN_LABEL, AnomalyKind.BLANK_LINE,
                AnomalyKind.INVALID_UTF8);
        assertThat(difference(parts.anomalies(), one.anomalies())).isEmpty();
        assertThat(parts.anomalies()).isEqualTo(one.anomalies());
    }

    @ParameterizedTest(name = "parts of about {0} bytes")
    @ValueSource(longs = {1, 97, 4_096, 50_000})
    void partsMerged_shouldGiveTheScanOfOnePass_onAFirstUpload(long partBytes) throws IOException {
        // GIVEN a first upload: the schema is inferred from its first rows
        byte[] file = partBytes == 1 ? file(ROWS_LINE_BY_LINE, false) : file(false);
        DatasetScanner.Mode mode = DatasetScanner.Mode.infer("label");
        // WHEN
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(file), mode, ValidationConfig.defaults());
        DatasetScan parts = merged(file, partBytes, mode);
        // THEN the same schema, inferred from the same rows; the same anomalies (one pass notes the ragged rows it
        // meets while it holds rows back for inference before the cells of those rows, parts in line order: the
        // order of anomalies of one severity is the only difference)
        assertSame(one, parts, file);
        assertThat(parts.schema()).isEqualTo(one.schema());
        assertThat(parts.inferred()).isTrue();
        assertThat(parts.taskReason()).isEqualTo(one.taskReason());
        assertThat(difference(parts.anomalies(), one.anomalies())).isEmpty();
        assertThat(parts.anomalies()).hasSameSizeAs(one.anomalies());
        assertThat(parts.anomalies()).extracting(Anomaly::severity).isSorted();
    }

    @Test
    void duplicateRows_shouldBeFoundAcrossParts_withTheLinesOfOnePass() throws IOException {
        // GIVEN many repeated rows, near and far (20 % of the rows), so duplicates are reported
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < 2_000; i++) {
            csv.append(i % 5 == 4 ? (i * 7919) % i : i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        DatasetScanner.Mode mode = DatasetScanner.Mode.infer("label");
        // WHEN
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(file), mode, ValidationConfig.defaults());
        DatasetScan parts = merged(file, 1_000, mode);
        // THEN
        assertThat(one.anomalies()).extracting(Anomaly::kind).contains(AnomalyKind.DUPLICATE_ROWS);
        assertThat(difference(parts.anomalies(), one.anomalies())).isEmpty();
        assertThat(parts.anomalies()).isEqualTo(one.anomalies());
    }

    @Test
    void quotedLineBreaks_shouldBeReadAsInOnePass_whereNoBoundaryCutsThem() throws IOException {
        // GIVEN two values with a line break, parts of about 50,000 bytes: no boundary falls inside either
        byte[] file = file(true);
        DatasetScanner.Mode mode = DatasetScanner.Mode.validate(schema());
        // WHEN
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(file), mode, ValidationConfig.defaults());
        DatasetScan parts = merged(file, 50_000, mode);
        // THEN the same scan, every line after them numbered as one pass numbers it
        assertSame(one, parts, file);
        assertThat(difference(parts.anomalies(), one.anomalies())).isEmpty();
        assertThat(parts.anomalies()).isEqualTo(one.anomalies());
        // and parts of one line each cut them: refused
        assertThat(inParts(file, 1, mode)).isEmpty();
        assertThat(lastInexact).contains("quoting error");
    }

    @Test
    void aBoundaryInsideAQuotedLineBreak_shouldBeRefused_soTheFileIsScannedInOnePass() throws IOException {
        // GIVEN a quoted value with many line breaks: a boundary falls inside it
        String csv = "x,c,label\n1,plain,a\n2,\"" + "one\n".repeat(50) + "end\",b\n3,plain,a\n";
        byte[] file = csv.getBytes(StandardCharsets.UTF_8);
        // WHEN parts of about 40 bytes
        DatasetScanner.Mode mode = DatasetScanner.Mode.infer("label");
        Optional<DatasetScan> parts = inParts(file, 40, mode);
        // THEN the merge refuses; one pass reads the value whole
        assertThat(parts).isEmpty();
        DatasetScan one = DatasetScanner.scan(new ByteArrayInputStream(file), mode, ValidationConfig.defaults());
        assertThat(one.rows()).isEqualTo(3);
        assertThat(one.anomalies()).extracting(Anomaly::kind).doesNotContain(AnomalyKind.BAD_QUOTING);
    }

    @Test
    void aHeaderAfterBlankLines_shouldNotBeSettledForParts() throws IOException {
        // GIVEN the header is not the first line: the parts CsvParts plans would start inside it
        byte[] file = "\nx,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);
        // WHEN / THEN
        assertThat(DatasetScanner.settle(new ByteArrayInputStream(file), DatasetScanner.Mode.infer("label"),
                ValidationConfig.defaults())).isEmpty();
    }

    /** Settles from the file's start, scans each planned part (its result through JSON), merges in order. */
    static Optional<DatasetScan> inParts(byte[] file, long partBytes, DatasetScanner.Mode mode) throws IOException {
        ValidationConfig config = ValidationConfig.defaults();
        CsvParts.RangeSource source = new CsvParts.RangeSource() {
            @Override
            public long size() {
                return file.length;
            }

            @Override
            public InputStream open(long first, long last) {
                int end = (int) Math.min(last + 1, file.length);
                return new ByteArrayInputStream(file, (int) first, end - (int) first);
            }
        };
        DatasetScanner.Settled settled = DatasetScanner.settle(new ByteArrayInputStream(file), mode, config)
                .orElseThrow();
        CsvParts.Plan plan = CsvParts.plan(source, partBytes);
        // as the Distributed Map's plan hands it to every part: with the file's estimated rows, through JSON
        settled = Json.read(Json.bytes(settled.withExpectedRows(CsvParts.estimatedRows(source, plan.headerLast()))),
                DatasetScanner.Settled.class);
        DatasetScanner.Merge merge = new DatasetScanner.Merge(settled, config);
        for (CsvParts.Part p : plan.parts()) {
            PartScan part = DatasetScanner.scanPart(source.open(p.first(), p.last()), p.part(), settled, config);
            merge.add(Json.read(Json.bytes(part), PartScan.class)); // as a Distributed Map's worker hands it over
            if (merge.inexact() != null) {
                break;
            }
        }
        Optional<DatasetScan> scan = merge.finish(sha256(file), file.length);
        lastInexact = merge.inexact();
        return scan;
    }

    @Test
    void aSettledSchemaWithoutExpectedRows_asAnEarlierVersionWroteIt_shouldReadAsNotKnown() throws IOException {
        // GIVEN a settled schema as JSON, its expected rows taken out (a plan written before they were)
        byte[] file = "x,label\n1.5,a\n2.5,b\n".getBytes(StandardCharsets.UTF_8);
        DatasetScanner.Settled settled = DatasetScanner.settle(new ByteArrayInputStream(file),
                DatasetScanner.Mode.infer("label"), ValidationConfig.defaults()).orElseThrow();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                Json.bytes(settled.withExpectedRows(2)));
        assertThat(json.remove("expected_rows").asLong()).isEqualTo(2);

        // WHEN it is read
        DatasetScanner.Settled read = Json.read(Json.MAPPER.writeValueAsBytes(json), DatasetScanner.Settled.class);

        // THEN the parts will not know the size (0), rather than the plan being refused
        assertThat(read.expectedRows()).isZero();
        assertThat(read.header()).isEqualTo(settled.header());
    }

    /** Why the last merge could not give one pass's answer. */
    private static String lastInexact;

    /** The merged scan, which must be there. */
    private static DatasetScan merged(byte[] file, long partBytes, DatasetScanner.Mode mode) throws IOException {
        return inParts(file, partBytes, mode).orElseThrow(() -> new AssertionError("inexact: " + lastInexact));
    }

    private static void assertSame(DatasetScan one, DatasetScan parts, byte[] file) {
        assertThat(parts.valid()).isEqualTo(one.valid());
        assertThat(parts.sha256()).isEqualTo(one.sha256());
        assertThat(parts.bytes()).isEqualTo(one.bytes());
        assertThat(parts.rows()).isEqualTo(one.rows());
        assertThat(parts.columns()).isEqualTo(one.columns());
        assertThat(parts.complete()).isEqualTo(one.complete()).isTrue();
        Profile p = parts.profile();
        Profile o = one.profile();
        assertThat(p.rows()).isEqualTo(o.rows());
        assertThat(p.labels()).isEqualTo(o.labels());
        for (String name : o.features().keySet()) {
            FeatureProfile pf = p.features().get(name);
            FeatureProfile of = o.features().get(name);
            assertThat(pf.count()).as(name).isEqualTo(of.count());
            assertThat(pf.missing()).as(name).isEqualTo(of.missing());
            assertThat(pf.invalid()).as(name).isEqualTo(of.invalid());
            assertThat(pf.min()).as(name).isEqualTo(of.min());
            assertThat(pf.max()).as(name).isEqualTo(of.max());
            assertThat(pf.categories()).as(name).isEqualTo(of.categories());
            if (pf.mean() != null) {
                assertThat(pf.mean()).as(name).isCloseTo(of.mean(), within(1e-9));
                assertThat(pf.stddev()).as(name).isCloseTo(of.stddev(), within(1e-9));
            }
        }
        // quantiles within the KLL rank error: the merged p-quantile's rank among the real values is p ± 1.65 %
        double[] xs = values(file);
        p.features().get("x").quantiles().forEach((name, value) -> {
            double q = Integer.parseInt(name.substring(1)) / 100.0;
            double below = (double) rank(xs, value, false) / xs.length;
            double upTo = (double) rank(xs, value, true) / xs.length;
            assertThat(q).as(name).isBetween(below - 0.0165, upTo + 0.0165);
        });
    }

    /** The values of x in the file's well-formed rows (ragged rows have "1.5,2"; repeats repeat their value). */
    private static double[] values(byte[] file) {
        List<Double> out = new ArrayList<>();
        String text = new String(file, StandardCharsets.UTF_8).replace("\"two\nlines\"", "two lines")
                .replace("\"red, dark\"", "red");
        for (String line : text.split("\n")) {
            String[] cells = line.split(",", -1);
            if (cells.length == 4 && cells[0].matches("-?[0-9.]+")) {
                out.add(Double.parseDouble(cells[0]));
            }
        }
        double[] v = out.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }

    /** The anomalies of one list not in the other, either way (readable when a test fails). */
    private static List<String> difference(List<Anomaly> parts, List<Anomaly> one) {
        List<String> out = new ArrayList<>();
        parts.stream().filter(a -> !one.contains(a)).forEach(a -> out.add("only in parts: " + a));
        one.stream().filter(a -> !parts.contains(a)).forEach(a -> out.add("only in one pass: " + a));
        return out;
    }

    private static int rank(double[] sorted, double value, boolean inclusive) {
        int n = 0;
        for (double v : sorted) {
            if (v < value || inclusive && v == value) {
                n++;
            }
        }
        return n;
    }

    private static int indexOf(byte[] text, byte[] what, int from) {
        for (int i = from; i < text.length - what.length; i++) {
            if (Arrays.equals(text, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new IllegalStateException("not found");
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
