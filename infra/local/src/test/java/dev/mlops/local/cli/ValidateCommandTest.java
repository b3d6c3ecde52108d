package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Help;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops validate}: the ingest checks on a local file, without a stack (no {@code --dataset}), so these
 * run as unit tests: exit 0 valid, 1 errors, 2 usage, and the documented JSON shape.
 */
class ValidateCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int mlops(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home=" + home);
        CommandLine commandLine = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        commandLine.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        return commandLine.execute(all.toArray(String[]::new));
    }

    private static Path data(String name) {
        return Path.of("../../data", name).toAbsolutePath().normalize();
    }

    @Test
    void aBundledDataset_shouldBeValid_withTheDocumentedJson() throws Exception {
        // WHEN
        int code = mlops("validate", data("pima.csv").toString(), "--label", "diabetes", "--json");
        // THEN
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = Json.MAPPER.readTree(out.toString());
        assertThat(json.path("valid").asBoolean()).isTrue();
        assertThat(json.path("rows").asLong()).isEqualTo(768);
        assertThat(json.path("columns").asInt()).isEqualTo(9);
        assertThat(json.path("anomalies").isArray()).isTrue();
        assertThat(json.path("anomalies")).isEmpty();
        JsonNode insulin = json.path("profile").path("features").path("insulin");
        assertThat(insulin.path("missing").asLong()).isEqualTo(374);
        assertThat(insulin.has("quantiles")).isTrue();
        assertThat(insulin.has("sample")).isFalse();
        assertThat(json.path("schema").path("label").asText()).isEqualTo("diabetes");
        assertThat(Files.list(home)).isEmpty(); // no stack was started
    }

    @Test
    void controlCharactersFromTheFile_shouldNeverReachTheTerminal() throws Exception {
        // GIVEN iris with an escape sequence in a number cell and a label that rewrites the window title
        List<String> lines = new ArrayList<>(Files.readAllLines(data("iris.csv")));
        lines.set(3, lines.get(3).replaceFirst("^[^,]*", "\u001b[2J\u001b[H5.1"));
        lines.set(5, lines.get(5).replaceFirst("[^,]*$", "set\u001b]0;owned\u0007osa"));
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, lines);
        // WHEN
        int code = mlops("validate", bad.toString());
        // THEN the cells are shown, their controls as visible escapes
        assertThat(code).isEqualTo(1);
        assertThat(out.toString() + err.toString()).doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(out.toString()).contains("\\x1b[2J\\x1b[H5.1").contains("set\\x1b]0;owned\\x07osa");
    }

    @Test
    void aLargeFile_readInPartsOnEveryCore_shouldReportTheLinesOfOnePass() throws Exception {
        // GIVEN iris repeated to about 10 MB (past the size scanned in parts), a text cell far down, with
        // duplicates everywhere
        List<String> iris = Files.readAllLines(data("iris.csv"));
        List<String> lines = new ArrayList<>(List.of(iris.get(0)));
        while (lines.size() < 400_000) {
            lines.addAll(iris.subList(1, iris.size()));
        }
        lines.set(380_001, lines.get(380_001).replaceFirst("^[^,]*", "abc"));
        Path big = dir.resolve("big.csv");
        Files.write(big, lines);
        assertThat(Files.size(big)).isGreaterThan(8L << 20);
        // WHEN
        int code = mlops("validate", big.toString(), "--json");
        // THEN the line of the bad cell as one pass counts it (header on line 1)
        assertThat(code).as(err.toString()).isEqualTo(1);
        JsonNode json = Json.MAPPER.readTree(out.toString());
        assertThat(json.path("rows").asLong()).isEqualTo(lines.size() - 1);
        assertThat(json.path("complete").asBoolean()).isTrue();
        JsonNode mismatch = null;
        for (JsonNode a : json.path("anomalies")) {
            if (a.path("kind").asText().equals("TYPE_MISMATCH")) {
                mismatch = a;
            }
        }
        assertThat(mismatch).as(out.toString()).isNotNull();
        assertThat(mismatch.path("rows").asLong()).isEqualTo(1);
        assertThat(mismatch.path("examples").get(0).path("line").asLong()).isEqualTo(380_002);
        assertThat(json.path("profile").path("features").path("sepal_length_cm").path("count").asLong())
                .isEqualTo(lines.size() - 2);
    }

    @Test
    void aFileWithErrors_shouldExit1AndSayWhatAndWhere_andWriteTheReportPage() throws Exception {
        // GIVEN iris with a text cell on line 4 and a row short of a field on line 7
        List<String> lines = new ArrayList<>(Files.readAllLines(data("iris.csv")));
        lines.set(3, lines.get(3).replaceFirst("^[^,]*", "n/a?"));
        lines.set(6, "5.0,3.6,1.4,setosa");
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, lines);
        Path html = dir.resolve("report.html");
        // WHEN
        int code = mlops("validate", bad.toString(), "--html", html.toString());
        // THEN
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("INVALID").contains("ERROR RAGGED_ROW").contains("line 7")
                .contains("ERROR TYPE_MISMATCH [sepal_length_cm]").contains("line 4").contains("\"n/a?\"");
        assertThat(Files.readString(html)).contains("RAGGED_ROW").contains("<svg");
    }

    @Test
    void aSchemaFile_shouldBeCheckedAgainst_andBothSourcesAtOnceShouldBeAUsageError() throws Exception {
        // GIVEN the schema of iris, and wine to check against it
        assertThat(mlops("validate", data("iris.csv").toString(), "--json")).isZero();
        Path schema = dir.resolve("schema.json");
        Files.writeString(schema, Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(out.toString()).path("schema")));
        out.getBuffer().setLength(0);
        // WHEN
        int code = mlops("validate", data("wine.csv").toString(), "--schema", schema.toString(), "--json");
        // THEN
        assertThat(code).isEqualTo(1);
        JsonNode json = Json.MAPPER.readTree(out.toString());
        assertThat(json.path("anomalies").findValuesAsText("kind")).contains("MISSING_COLUMN", "UNEXPECTED_COLUMN");
        assertThat(mlops("validate", data("wine.csv").toString(), "--schema", schema.toString(), "--dataset", "wine"))
                .isEqualTo(2);
        assertThat(mlops("validate", dir.resolve("nope.csv").toString())).isEqualTo(2);
    }
}
