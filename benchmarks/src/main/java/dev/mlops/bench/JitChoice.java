package dev.mlops.bench;

import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Profile;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Validator;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The long work of the ingest and training functions in one fresh JVM, to choose their JIT flags:
 * parse + validate + profile of a CSV of {@code ROWS} rows (breast_cancer repeated), then training on
 * breast_cancer {@code TRAININGS} times in a row, then once on {@code TRAINING_ROWS} rows. Prints the time of each step; run it once with the
 * JVM's defaults and once with {@code -XX:TieredStopAtLevel=1}.
 *
 * <pre>
 *   java [flags] -cp ... dev.mlops.bench.JitChoice [ROWS] [TRAININGS] [TRAINING_ROWS]
 * </pre>
 */
public final class JitChoice {

    private JitChoice() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int trainings = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath();
        String csv = Files.readString(root.resolve("data/breast_cancer.csv"), StandardCharsets.UTF_8);
        String header = csv.substring(0, csv.indexOf('\n') + 1);
        String body = csv.substring(csv.indexOf('\n') + 1);
        int bodyRows = (int) body.chars().filter(c -> c == '\n').count();
        StringBuilder big = new StringBuilder(header);
        for (int i = 0; i < rows / bodyRows; i++) {
            big.append(body);
        }
        byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);

        long t0 = System.nanoTime();
        CsvTable table = CsvParser.parse(new ByteArrayInputStream(bytes), CsvLimits.DEFAULT);
        Schema schema = Schema.infer(table, "label");
        boolean valid = Validator.validate(table, schema).valid();
        Profile.of(table, schema);
        long t1 = System.nanoTime();
        System.out.printf("ingest work: %d rows, %.1f MB, valid=%s: %d ms%n", table.rows().size(), bytes.length / 1e6, valid,
                (t1 - t0) / 1_000_000);

        CsvTable small = CsvParser.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), CsvLimits.DEFAULT);
        Schema smallSchema = Schema.infer(small, "label");
        for (int i = 1; i <= trainings; i++) {
            long s = System.nanoTime();
            ModelTrainer.train(small, smallSchema, TrainingConfig.defaults());
            System.out.printf("training %d (breast_cancer, %d rows): %d ms%n", i, small.rows().size(),
                    (System.nanoTime() - s) / 1_000_000);
        }
        int trainRows = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        StringBuilder larger = new StringBuilder(header);
        for (int i = 0; i < trainRows / bodyRows; i++) {
            larger.append(body);
        }
        CsvTable large = CsvParser.parse(new ByteArrayInputStream(larger.toString().getBytes(StandardCharsets.UTF_8)),
                CsvLimits.DEFAULT);
        long s = System.nanoTime();
        ModelTrainer.train(large, Schema.infer(large, "label"), TrainingConfig.defaults());
        System.out.printf("training (breast_cancer repeated, %d rows): %d ms%n", large.rows().size(),
                (System.nanoTime() - s) / 1_000_000);
        System.out.printf("total: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
}
