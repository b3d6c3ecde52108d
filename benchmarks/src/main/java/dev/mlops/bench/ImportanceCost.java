package dev.mlops.bench;

import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.explain.FeatureImportance;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the registry's permutation importance costs (the register step measures it on the registered version's test
 * rows for the model card): an XGBoost model (default hyper-parameters) trained on TRAIN.csv (label column {@code
 * label}), then {@code Evaluation.importance} on its test rows, REPEATS times, wall and thread CPU time each.
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.ImportanceCost TRAIN.csv [REPEATS]
 * </pre>
 */
public final class ImportanceCost {

    public static void main(String[] args) throws Exception {
        CsvTable train;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            train = CsvParser.parse(in, CsvLimits.DEFAULT);
        }
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Schema schema = Schema.infer(train, "label");
        TrainingConfig config = new TrainingConfig("xgboost", 42L, TrainingConfig.defaults().split(), Map.of());
        TrainingResult r = ModelTrainer.train(train, schema, config);
        Predictor predictor = Predictor.load(r.artifact(), r.signature());
        List<Integer> rows = Evaluation.testRows(train, schema, config.split());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < repeats; rep++) {
            long w0 = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            FeatureImportance importance = Evaluation.importance(predictor, train, schema, rows, 42L);
            long c1 = cpu.getCurrentThreadCpuTime();
            long w1 = System.nanoTime();
            System.out.printf("permutation importance of %d columns on %d rows x %d shuffles: %.2f s wall,"
                            + " %.2f s CPU; top: %s%n", importance.importance().size(), importance.rows(),
                    importance.repeats(), (w1 - w0) / 1e9, (c1 - c0) / 1e9,
                    importance.importance().keySet().stream().limit(3).toList());
        }
    }

    private ImportanceCost() {
    }
}
