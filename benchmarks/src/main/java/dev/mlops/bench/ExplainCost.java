package dev.mlops.bench;

import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.explain.Explainer;
import dev.mlops.core.model.explain.PermutationImportance;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an explanation costs per row, by family, next to a prediction of the same row: a model of each family
 * trained on a bundled dataset (default hyper-parameters), then one-row {@code Explainer.explain} and {@code
 * Predictor.predict} calls over the dataset's rows, after a warm-up. Also the training call and, next to it, the
 * permutation importance the registry measures for a registered version, here on the first {@value
 * PermutationImportance#MAX_ROWS} rows of the dataset at most.
 *
 * <pre>
 *   java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.ExplainCost DATASET [ITERATIONS]
 * </pre>
 */
public final class ExplainCost {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
        String dataset = args.length > 0 ? args[0] : "iris";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        CsvTable table;
        try (InputStream in = Files.newInputStream(root.resolve("data/" + dataset + ".csv"))) {
            table = CsvParser.parse(in, CsvLimits.DEFAULT);
        }
        String label = dataset.equals("pima") ? "diabetes" : "label";
        Schema schema = Schema.infer(table, label);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        int li = table.columnIndex(label);
        for (List<String> row : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < row.size(); c++) {
                if (c != li) {
                    m.put(table.header().get(c), row.get(c));
                }
            }
            rows.add(m);
            truth.add(row.get(li));
        }
        System.out.printf("dataset=%s rows=%d features=%d iterations=%d%n", dataset, rows.size(),
                schema.features().size(), iterations);
        for (Family family : Family.all()) {
            if (family.unavailableReason().isPresent()) {
                System.out.printf("%-20s skipped: %s%n", family.id(), family.unavailableReason().get());
                continue;
            }
            long t0 = System.nanoTime();
            TrainingResult r = ModelTrainer.train(table, schema, new TrainingConfig(family.id(), 42L,
                    TrainingConfig.defaults().split(), Map.of()));
            long trainNanos = System.nanoTime() - t0;
            Predictor predictor = Predictor.load(r.artifact(), r.signature());
            Explainer explainer = Explainer.of(predictor);
            int warmup = Math.max(50, iterations / 4);
            for (int i = 0; i < warmup; i++) {
                explainer.explain(List.of(rows.get(i % rows.size())));
                predictor.predict(List.of(rows.get(i % rows.size())));
            }
            long[] explain = new long[iterations];
            long[] predict = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                List<Map<String, Object>> one = List.of(rows.get(i % rows.size()));
                long a = System.nanoTime();
                explainer.explain(one);
                long b = System.nanoTime();
                predictor.predict(one);
                explain[i] = b - a;
                predict[i] = System.nanoTime() - b;
            }
            long p0 = System.nanoTime();
            PermutationImportance.of(predictor, rows, truth, 42L);
            long importanceNanos = System.nanoTime() - p0;
            Arrays.sort(explain);
            Arrays.sort(predict);
            System.out.printf("%-20s method=%-18s explain p50=%9.1f us p90=%9.1f us | predict p50=%7.1f us"
                            + " | training call %.2f s | permutation importance alone, %d rows: %.2f s%n",
                    family.id(), explainer.method(), explain[iterations / 2] / 1e3,
                    explain[(int) (iterations * 0.9)] / 1e3, predict[iterations / 2] / 1e3, trainNanos / 1e9,
                    Math.min(rows.size(), PermutationImportance.MAX_ROWS), importanceNanos / 1e9);
        }
    }
}
