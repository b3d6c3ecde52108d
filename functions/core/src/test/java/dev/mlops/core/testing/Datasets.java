package dev.mlops.core.testing;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.train.TrainingConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The bundled datasets as text, and shuffled or trimmed variants of them. */
public final class Datasets {

    private Datasets() {
    }

    /** {@code data/<name>.csv} of the repository (tests run in a module folder two levels down). */
    public static String read(String name) {
        try {
            Path local = Path.of("../../data/" + name + ".csv");
            return Files.readString(Files.exists(local) ? local : Path.of(System.getProperty("mlops.root", "../.."),
                    "data", name + ".csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code n}th data row of {@code data/<name>.csv} (the first, the (n+1)th, ...) under its header. */
    public static String everyNth(String name, int n) {
        List<String> lines = List.of(read(name).strip().split("\n"));
        StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i += n) {
            csv.append(lines.get(i)).append('\n');
        }
        return csv.toString();
    }

    /** The same rows in another order. */
    public static String shuffled(String csv, long seed) {
        List<String> lines = new ArrayList<>(List.of(csv.strip().split("\n")));
        String header = lines.remove(0);
        Collections.shuffle(lines, new Random(seed));
        return header + "\n" + String.join("\n", lines) + "\n";
    }

    /**
     * The dataset with each training row (under the default split) moved to another class, as long as
     * the row stays a training row, while the rows both models are scored on keep their label: what a
     * challenger trained on corrupted data looks like.
     */
    public static String corruptTrainingLabels(String csv, String labelColumn) {
        CsvTable table = TestTables.of(csv);
        Schema schema = Schema.infer(table, labelColumn);
        SplitSpec spec = TrainingConfig.defaults().split();
        int[] columns = SplitSpec.columns(table, schema);
        int label = table.columnIndex(labelColumn);
        List<String> labels = table.rows().stream().map(r -> r.get(label)).distinct().sorted().toList();
        StringBuilder out = new StringBuilder(String.join(",", table.header())).append('\n');
        for (List<String> row : table.rows()) {
            List<String> written = row;
            if (spec.partitionOf(SplitSpec.cells(row, columns)) == SplitSpec.Partition.TRAIN) {
                for (String wrong : labels) {
                    List<String> candidate = new ArrayList<>(row);
                    candidate.set(label, wrong);
                    if (!wrong.equals(row.get(label))
                            && spec.partitionOf(SplitSpec.cells(candidate, columns)) == SplitSpec.Partition.TRAIN) {
                        written = candidate;
                        break;
                    }
                }
            }
            out.append(String.join(",", written)).append('\n');
        }
        return out.toString();
    }

    /** The header and the first {@code rows} rows. */
    public static String head(String csv, int rows) {
        List<String> lines = List.of(csv.strip().split("\n"));
        return String.join("\n", lines.subList(0, rows + 1)) + "\n";
    }
}
