package dev.mlops.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Split;
import dev.mlops.core.data.TestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Loads the reference splits and sklearn baselines from the test resources. */
public final class ReferenceSplits {

    public static final String DIR = "src/test/resources/reference/splits/";

    /** Train rows followed by test rows, and the matching split. */
    public record Combined(CsvTable table, Split split) {
    }

    private ReferenceSplits() {
    }

    public static Combined load(String name) {
        CsvTable train = TestTables.file(DIR + name + ".train.csv");
        CsvTable test = TestTables.file(DIR + name + ".test.csv");
        if (!train.header().equals(test.header())) {
            throw new IllegalStateException("headers differ");
        }
        List<List<String>> rows = new ArrayList<>(train.rows());
        rows.addAll(test.rows());
        int n = train.rows().size();
        return new Combined(new CsvTable(train.header(), rows), Split.of(
                IntStream.range(0, n).boxed().toList(), IntStream.range(n, rows.size()).boxed().toList()));
    }

    public static JsonNode baseline(String name) {
        try {
            return dev.mlops.core.Json.MAPPER.readTree(Path.of(DIR + "sklearn-baselines.json").toFile()).get(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
