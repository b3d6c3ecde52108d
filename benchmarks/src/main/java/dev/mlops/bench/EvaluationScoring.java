package dev.mlops.bench;

import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.DenseTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.family.XGBoost;
import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluation of an XGBoost model two ways on the same rows: through the request path (a map of strings per row,
 * Tribuo examples, 1,000-row batches: how every model was evaluated before) and on the booster's own batch scoring
 * of dense matrices (how training evaluates XGBoost now). data/letter.csv, its rows repeated {@code REPEATS}
 * times; the model: 100 rounds at the family's defaults. Prints each way's time and rows per second, and both
 * ways' accuracy and log-loss.
 *
 * <pre>
 *   java -cp ... dev.mlops.bench.EvaluationScoring [REPEATS]
 * </pre>
 */
public final class EvaluationScoring {

    private EvaluationScoring() {
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath();
        CsvTable table = CsvParser.parse(Files.newInputStream(root.resolve("data/letter.csv")), CsvLimits.DEFAULT);
        Schema schema = Schema.infer(table, "lettr");
        TrainingResult r = ModelTrainer.train(table, schema, new TrainingConfig(XGBoost.ID, 42,
                SplitSpec.rowHash(42, 0.2), Map.of()));
        Predictor predictor = Predictor.load(r.artifact(), r.signature());
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            for (int row = 0; row < table.rows().size(); row++) {
                rows.add(row);
            }
        }
        // One warm-up pass each, then the measured one.
        for (int pass = 0; pass < 2; pass++) {
            long t0 = System.nanoTime();
            ClassificationMetrics requests =
                    (ClassificationMetrics) Evaluation.evaluate(predictor, table, schema, rows);
            long t1 = System.nanoTime();
            DenseTable dense = DenseTable.of(table, schema);
            ClassificationMetrics arrays =
                    (ClassificationMetrics) Evaluation.evaluate(predictor, Family.require(XGBoost.ID), dense, rows);
            long t2 = System.nanoTime();
            if (pass == 1) {
                System.out.printf("rows scored: %,d (data/letter.csv × %d), model: xgboost, 100 rounds%n",
                        rows.size(), repeats);
                System.out.printf("request path (maps, Tribuo examples): %,d ms, %,.0f rows/s%n", (t1 - t0) / 1_000_000,
                        rows.size() / ((t1 - t0) / 1e9));
                System.out.printf("dense arrays (booster batch scoring, table conversion included): %,d ms,"
                        + " %,.0f rows/s%n", (t2 - t1) / 1_000_000, rows.size() / ((t2 - t1) / 1e9));
                System.out.printf("ratio: %.0f×; accuracy %.6f and %.6f, log-loss %.9f and %.9f%n",
                        (double) (t1 - t0) / (t2 - t1), requests.accuracy(), arrays.accuracy(), requests.logLoss(),
                        arrays.logLoss());
            }
        }
    }
}
