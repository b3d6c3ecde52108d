package dev.mlops.bench;

import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.DenseBatch;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;

import java.io.BufferedReader;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What scoring a batch row costs in CPU, by the two paths of a batch part: each row as an instance through {@code
 * Predictor.predict} (a map, Tribuo's example, its standardisation, XGBoost's sparse matrix) and the dense path
 * ({@code DenseBatch}: cells into one float matrix, one booster call), 1,000 rows a call either way. An XGBoost
 * model (default hyper-parameters) is trained on TRAIN.csv (label column {@code label}); ROWS.csv's first N rows
 * are scored, after a warm-up, on one thread: CPU time of that thread per row (the booster runs on it, with
 * OMP_NUM_THREADS=1). Parsing the lines and writing the output are not in these figures.
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.BatchRowCost TRAIN.csv ROWS.csv [N] [REPEATS]
 * </pre>
 */
public final class BatchRowCost {

    private static final int CALL = 1_000;

    public static void main(String[] args) throws Exception {
        CsvTable train;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            train = CsvParser.parse(in, CsvLimits.DEFAULT);
        }
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        TrainingResult r = ModelTrainer.train(train, Schema.infer(train, "label"),
                new TrainingConfig("xgboost", 42L, TrainingConfig.defaults().split(), Map.of()));
        Predictor predictor = Predictor.load(r.artifact(), r.signature());
        DenseBatch dense = predictor.denseBatch().orElseThrow();
        List<String> features = predictor.signature().features().stream().map(c -> c.name()).toList();
        List<String[]> rows = new ArrayList<>(n);
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[1]))) {
            List<String> header = List.of(in.readLine().split(","));
            int[] columns = features.stream().mapToInt(header::indexOf).toArray();
            for (String line = in.readLine(); line != null && rows.size() < n; line = in.readLine()) {
                String[] cells = line.split(",", -1);
                String[] values = new String[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    values[i] = cells[columns[i]];
                }
                rows.add(values);
            }
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.printf("# %,d rows of %d features, XGBoost (%s), calls of %,d rows%n", rows.size(), features.size(),
                predictor.model().getClass().getSimpleName(), CALL);
        for (int rep = 0; rep <= repeats; rep++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            long a = byInstances(predictor, features, rows);
            long t1 = cpu.getCurrentThreadCpuTime();
            long b = dense(dense, rows);
            long t2 = cpu.getCurrentThreadCpuTime();
            if (a != b) {
                throw new IllegalStateException("the two paths predicted different labels: " + a + " vs " + b);
            }
            System.out.printf("%s instances %.1f us/row, dense %.1f us/row CPU (%.1fx)%n", rep == 0 ? "warm-up" : "run",
                    (t1 - t0) / 1e3 / rows.size(), (t2 - t1) / 1e3 / rows.size(), (double) (t1 - t0) / (t2 - t1));
        }
    }

    /** A checksum of the predicted labels, so neither path is optimised away and both agree. */
    private static long byInstances(Predictor predictor, List<String> features, List<String[]> rows) {
        long sum = 0;
        for (int from = 0; from < rows.size(); from += CALL) {
            List<Map<String, String>> instances = new ArrayList<>(CALL);
            for (String[] row : rows.subList(from, Math.min(rows.size(), from + CALL))) {
                Map<String, String> m = new HashMap<>(features.size() * 2);
                for (int i = 0; i < row.length; i++) {
                    m.put(features.get(i), row[i].isEmpty() ? null : row[i]);
                }
                instances.add(m);
            }
            for (Prediction p : predictor.predict(instances)) {
                sum = sum * 31 + p.label().hashCode();
            }
        }
        return sum;
    }

    private static long dense(DenseBatch dense, List<String[]> rows) {
        long sum = 0;
        int width = dense.width();
        for (int from = 0; from < rows.size(); from += CALL) {
            int count = Math.min(CALL, rows.size() - from);
            float[] matrix = new float[count * width];
            for (int i = 0; i < count; i++) {
                if (!dense.encode(rows.get(from + i), matrix, i * width)) {
                    throw new IllegalStateException("row " + (from + i) + " is not for the dense path");
                }
            }
            for (Prediction p : dense.predict(matrix, count)) {
                sum = sum * 31 + p.label().hashCode();
            }
        }
        return sum;
    }
}
