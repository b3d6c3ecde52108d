package dev.mlops.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain lines taken straight from their bytes ({@link CellChecks#takePlain}) give the scan that reading every line
 * through a {@link Row} gives: the same verdict, anomalies, profile, label counts and duplicates, on random files that
 * mix lines it takes with every kind it must leave to the row path.
 *
 * <p>Compared as JSON, but for what comes from the KLL sketch (quantiles, histogram, the sketch's bytes, a regression
 * label's estimated outliers): DataSketches draws its compactions from one random generator shared by every sketch,
 * so those differ between any two scans of the same file. The values each column's sketches were given are the
 * same: the moments summed in order, the reservoir sample and the HLL sketch, all order-sensitive, are compared.
 */
class PlainRowsTakenTest {

    /** Types inferred from the first 40 rows, so that most rows of a small file are read once they are settled. */
    private static final ValidationConfig INFER_FROM_40_ROWS = new ValidationConfig(null, null, null, null, null, null,
            40, null, null, null, null);

    @TempDir
    Path dir;

    @AfterEach
    void takeAgain() {
        DatasetScanner.takePlainLines = true;
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, 150).boxed();
    }

    @ParameterizedTest(name = "random file {0}")
    @MethodSource("seeds")
    void aRandomFile_shouldScanTheSameTakenFromBytesAsReadThroughRows(int seed) throws IOException {
        // GIVEN a random file: mostly plain lines, and now and then every kind of line the bytes path leaves
        SplittableRandom r = new SplittableRandom(seed);
        boolean regression = seed % 3 == 2;
        // (the larger ones with fewer odd lines, so that they are read to their end, under max_error_rows)
        // (a quote, a byte outside ASCII or a lone CR hands the rest of a file to the full parser: in half the files
        // there is none)
        boolean plain = seed % 2 == 0;
        RandomFile f = seed % 10 == 0 ? RandomFile.of(r, 6_000, 20, regression, plain)
                : RandomFile.of(r, 1 + r.nextInt(300), 2 + seed % 6, regression, plain);

        // WHEN / THEN: a regression's file inferred as one; a classification's inferred, and against a schema with
        // ranges and classes
        if (regression) {
            assertSameScan(f.bytes, DatasetScanner.Mode.infer("label", "regression"));
        } else {
            assertSameScan(f.bytes, DatasetScanner.Mode.infer("label"));
            assertSameScan(f.bytes, DatasetScanner.Mode.validate(f.schema()));
        }
    }

    @Test
    void aLargeFileInParts_shouldScanTheSameTakenFromBytesAsReadThroughRows() throws IOException {
        // GIVEN a file of about 1 MB with an odd line in a few hundred (fewer than max_error_rows), scanned in parts of
        // about 100 kB on two threads
        RandomFile f = RandomFile.of(new SplittableRandom(7), 20_000, 50, false, true);
        Path file = Files.write(dir.resolve("data.csv"), f.bytes);
        DatasetScanner.Mode mode = DatasetScanner.Mode.validate(f.schema());

        // WHEN
        DatasetScanner.takePlainLines = false;
        DatasetScan rows = ParallelScanner.scan(new FileRanges(file), mode, ValidationConfig.defaults(), 2, null, 0,
                100_000);
        DatasetScanner.takePlainLines = true;
        DatasetScan taken = ParallelScanner.scan(new FileRanges(file), mode, ValidationConfig.defaults(), 2, null, 0,
                100_000);

        // THEN
        assertThat(comparable(taken)).isEqualTo(comparable(rows));
        assertThat(taken.rows()).isEqualTo(20_000);
    }

    @Test
    void aRowTakenFromBytes_shouldHashAsTheSameRowReadThroughARow() throws IOException {
        // GIVEN rows read through a Row (the first row; the first after a blank line; one with a quoted cell, after which the full
        // parser reads the rest), each the duplicate of a row taken from bytes before it: every kind of cell; and a
        // number out of the schema's range
        Schema schema = new Schema("label", List.of(new Column("x", ColumnType.NUMERIC)), List.of("a", "b"),
                Map.of("x", Schema.Domain.numeric(-10.0, 10.0, null)));
        String classification = "x,note,label\n9,n9,a\n1.5,n1,a\n-0,n2,b\n2,n3,a\n20,n4,a\n\n1.5,n1,a\n0,n2,b\n2,\"n3\",a\n";
        String regression = "x,note,label\n9,n9,1\n1.5,n1,2.25\n2,n2,-3\n\n1.5,n1,2.25\n";

        // WHEN
        DatasetScan c = DatasetScanner.scan(new ByteArrayInputStream(classification.getBytes(StandardCharsets.UTF_8)),
                DatasetScanner.Mode.validate(schema), ValidationConfig.defaults());
        DatasetScan r = DatasetScanner.scan(new ByteArrayInputStream(regression.getBytes(StandardCharsets.UTF_8)),
                DatasetScanner.Mode.validate(new Schema("label", List.of(new Column("x", ColumnType.NUMERIC)), null,
                        Map.of(), "regression")), ValidationConfig.defaults());

        // THEN each is found a duplicate of the row before it (-0 and 0 are one value), and 20 out of the range
        assertThat(c.anomalies()).extracting(Anomaly::kind).contains(AnomalyKind.OUT_OF_RANGE);
        assertThat(c.anomalies()).filteredOn(a -> a.kind() == AnomalyKind.DUPLICATE_ROWS).singleElement()
                .satisfies(a -> assertThat(a.rows()).isEqualTo(3));
        assertThat(r.anomalies()).filteredOn(a -> a.kind() == AnomalyKind.DUPLICATE_ROWS).singleElement()
                .satisfies(a -> assertThat(a.rows()).isEqualTo(1));
    }

    @Test
    void plainLines_shouldBeTakenUpToTheFirstThatIsNot() {
        // GIVEN a schema of two numbers and a label, whose classes a and b have been seen
        Schema schema = new Schema("label", List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.NUMERIC)), List.of("a", "b"), Map.of());
        AnomalyLog log = new AnomalyLog(ValidationConfig.defaults());
        CellChecks cells = new CellChecks(new String[] {"x", "y", "label"}, schema, ValidationConfig.defaults(),
                MissingMarkers.DEFAULT, log, 0);
        Row row = new Row();
        for (String seen : List.of("a", "b")) {
            row.begin(1);
            row.asciiFields(new int[] {1, 2}, 2, 3);
            System.arraycopy(("12" + seen).toCharArray(), 0, row.asciiLine(3), 0, 3);
            row.asciiFields(new int[] {1, 2}, 2, 3);
            cells.check(row, new RowHashes());
        }
        byte[] b = "1.5,-2,a\n3,.25,b\r\n7,8,a\n1e3,2,a\n9,9,a\n".getBytes(StandardCharsets.US_ASCII);
        int refused = "1.5,-2,a\n3,.25,b\r\n7,8,a\n".length();

        // WHEN
        long r = cells.takePlain(b, 0, b.length, 2, new RowHashes());

        // THEN three lines are taken; the exponent is left to the row path, unread
        assertThat(r & PlainLines.Taker.REFUSED).isNotZero();
        assertThat(r >>> 32 & 0x3FFF_FFFF).isEqualTo(3);
        assertThat((int) r).isEqualTo(refused);

        // AND lines up to the end given are all taken, with nothing refused
        long whole = cells.takePlain(b, 0, "1.5,-2,a\n3,.25,b\r\n".length(), 2, new RowHashes());
        assertThat(whole & PlainLines.Taker.REFUSED).isZero();
        assertThat(whole >>> 32 & 0x3FFF_FFFF).isEqualTo(2);
        assertThat((int) whole).isEqualTo("1.5,-2,a\n3,.25,b\r\n".length());
    }

    private static void assertSameScan(byte[] file, DatasetScanner.Mode mode) throws IOException {
        DatasetScanner.takePlainLines = false;
        DatasetScan rows = DatasetScanner.scan(new ByteArrayInputStream(file), mode, INFER_FROM_40_ROWS);
        DatasetScanner.takePlainLines = true;
        DatasetScan taken = DatasetScanner.scan(new ByteArrayInputStream(file), mode, INFER_FROM_40_ROWS);
        assertThat(comparable(taken))
                .as("%s", new String(file, 0, Math.min(file.length, 2_000), StandardCharsets.UTF_8))
                .isEqualTo(comparable(rows));
    }

    /** The scan as JSON without what the KLL sketch's shared random generator decides (see the class comment). */
    private static String comparable(DatasetScan scan) throws IOException {
        ObjectNode json = Json.MAPPER.valueToTree(scan);
        JsonNode profile = json.path("profile");
        List<JsonNode> columns = new ArrayList<>();
        profile.path("features").forEach(columns::add);
        columns.add(profile.path("target"));
        for (JsonNode column : columns) {
            if (column instanceof ObjectNode c) {
                c.remove(List.of("quantiles", "histogram"));
                if (c.path("sketches") instanceof ObjectNode sketches) {
                    sketches.remove("kll");
                }
            }
        }
        if (json.path("anomalies") instanceof ArrayNode anomalies) {
            for (int i = anomalies.size() - 1; i >= 0; i--) {
                if (anomalies.get(i).path("kind").asText().equals(AnomalyKind.LABEL_OUTLIERS.name())) {
                    anomalies.remove(i);
                }
            }
        }
        assertThat(json.path("rows").asLong()).isEqualTo(scan.rows());
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    }

    /** A random CSV: numeric columns x0.., an ignored column, the label somewhere among them. */
    private record RandomFile(byte[] bytes, int numeric, boolean ignored) {

        /** {@code rarity}: how much rarer than 1 in 60 cells (1 in 200 lines) the odd cells and lines are. */
        static RandomFile of(SplittableRandom r, int lines, int rarity, boolean regression, boolean plain) {
            int numeric = 1 + r.nextInt(4);
            boolean ignored = r.nextBoolean();
            List<String> header = new ArrayList<>();
            for (int i = 0; i < numeric; i++) {
                header.add("x" + i);
            }
            if (ignored) {
                header.add("note");
            }
            header.add(r.nextInt(header.size() + 1), "label");
            StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
            String previous = null;
            for (int l = 0; l < lines; l++) {
                if (previous != null && r.nextInt(40) == 0) {
                    csv.append(previous); // a duplicate row
                    continue;
                }
                StringBuilder line = new StringBuilder();
                int fields = header.size() + (r.nextInt(200 * rarity) == 0 ? r.nextInt(3) - 1 : 0); // now and then ragged
                for (int i = 0; i < fields; i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    String name = i < header.size() ? header.get(i) : "x0";
                    String cell = name.equals("label") ? regression ? target(r, rarity) : label(r, rarity)
                            : name.equals("note") ? note(r, rarity) : number(r, rarity);
                    line.append(plain && !isPlain(cell) ? "7" : cell);
                }
                int end = r.nextInt(100 * rarity);
                line.append(end == 0 ? "\r\n" : end == 1 ? "\n\n" : end == 2 && !plain ? "\r" : "\n");
                previous = line.toString();
                csv.append(previous);
            }
            return new RandomFile(csv.toString().getBytes(StandardCharsets.UTF_8), numeric, ignored);
        }

        /** Whether the full parser need not read a line with this cell: no quote, only printable ASCII and tabs. */
        private static boolean isPlain(String cell) {
            return cell.chars().allMatch(c -> c == '\t' || c >= ' ' && c < 0x7F && c != '"');
        }

        /** Against a schema: numbers within ±50,000, classes a and b (c and others are unseen). */
        Schema schema() {
            List<Column> columns = new ArrayList<>();
            Map<String, Schema.Domain> domains = new java.util.HashMap<>();
            for (int i = 0; i < numeric; i++) {
                columns.add(new Column("x" + i, ColumnType.NUMERIC));
                domains.put("x" + i, Schema.Domain.numeric(-50_000.0, 50_000.0, null));
            }
            return new Schema("label", columns, List.of("a", "b"), domains); // "note" is not in it: ignored
        }

        private static String number(SplittableRandom r, int rarity) {
            int kind = r.nextInt(60 * rarity);
            return switch (kind) {
                case 0 -> "";
                case 1 -> "NA";
                case 2 -> " " + r.nextInt(100);
                case 3 -> r.nextInt(100) + "e" + r.nextInt(3);
                case 4 -> "-";
                case 5 -> ".";
                case 6 -> "1.2.3";
                case 7 -> "-" + "1".repeat(14 + r.nextInt(4)) + "." + r.nextInt(10); // 15 to 18 digits
                case 8 -> "9" + "0".repeat(r.nextInt(6)) + "."; // ends with a point; above the range from 1e5 on
                case 9 -> "\"" + r.nextInt(10) + "\"";
                case 10 -> "inf";
                case 11 -> "-0";
                case 12 -> "+" + r.nextInt(10);
                case 13 -> "é";
                case 14 -> r.nextInt(100_000, 10_000_000) + ".5"; // beyond the range
                default -> plain(r);
            };
        }

        /** A plain decimal: up to 5 digits before the point (none at times), up to 7 after it, or no point. */
        private static String plain(SplittableRandom r) {
            String whole = r.nextInt(8) == 0 ? "" : Integer.toString(r.nextInt(r.nextBoolean() ? 10 : 50_000));
            int fraction = r.nextInt(9) - 1; // -1: no point
            StringBuilder s = new StringBuilder(r.nextBoolean() ? "-" : "").append(whole);
            if (fraction >= 0 || whole.isEmpty()) {
                s.append('.');
                for (int i = 0; i < Math.max(fraction, 1); i++) {
                    s.append((char) ('0' + r.nextInt(10)));
                }
            }
            return s.toString();
        }

        /** A regression's label: a plain decimal, at times another number or none. */
        private static String target(SplittableRandom r, int rarity) {
            int kind = r.nextInt(40 * rarity);
            return switch (kind) {
                case 0 -> "";
                case 1 -> "x";
                case 2 -> "1e2";
                case 3 -> " 4";
                default -> kind % 3 == 0 ? "7.5" : plain(r); // a value many rows share
            };
        }

        private static String label(SplittableRandom r, int rarity) {
            int kind = r.nextInt(80 * rarity);
            return switch (kind) {
                case 0 -> "";
                case 1 -> " a";
                case 2 -> "c";
                case 3 -> "z" + r.nextInt(3);
                case 4 -> "\"b\"";
                case 5 -> "1.5"; // a number, for the regression reading
                case 6 -> "NA";
                default -> r.nextBoolean() ? "a" : kind % 29 == 0 ? "3.25" : "b";
            };
        }

        private static String note(SplittableRandom r, int rarity) {
            int kind = r.nextInt(40 * rarity);
            return switch (kind) {
                case 0 -> "";
                case 1 -> "with space";
                case 2 -> "tab\there";
                case 3 -> "ünï";
                case 4 -> "\"quoted, comma\"";
                default -> "n" + r.nextInt(1_000);
            };
        }
    }
}
