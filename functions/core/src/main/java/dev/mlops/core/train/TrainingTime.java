package dev.mlops.core.train;

import dev.mlops.core.model.task.Task;
import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.family.Family;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rough, deliberately pessimistic estimate of how long one candidate takes to train, serialise and
 * evaluate, so that a candidate that cannot finish within the function's time fails at once with a
 * reason instead of being killed by the timeout after 15 minutes.
 *
 * <p>Each family says what one fit costs ({@link Family#cost}: per-unit costs measured on the reference machine,
 * 2 cores, JDK 17, full JIT, with the bundled letter data, BENCHMARKS.md "Training search", rounded up); here
 * the data's shape is measured, the fits are counted (cross-validation multiplies them by folds + 1, a refit
 * by 2) and the artifact is written and read back at 0.3 µs per byte.
 */
public final class TrainingTime {

    private TrainingTime() {
    }

    /**
     * The estimate for one candidate on a table.
     *
     * @return estimated milliseconds (fit, selection fits, serialisation)
     */
    public static long estimateMillis(TrainingConfig c, CsvTable table, Schema schema) {
        Family family = Family.require(c.algorithm());
        int label = table.columnIndex(schema.label());
        Set<String> classes = new HashSet<>();
        int features = 0;
        for (Column col : schema.features()) {
            if (col.type() == ColumnType.NUMERIC) {
                features++;
            } else {
                int idx = table.columnIndex(col.name());
                Set<String> values = new HashSet<>();
                for (var row : table.rows()) {
                    if (idx >= 0 && !Missing.isMissing(row.get(idx))) {
                        values.add(row.get(idx).trim());
                    }
                }
                features += values.size();
            }
        }
        for (var row : table.rows()) {
            if (label >= 0 && !Missing.isMissing(row.get(label))) {
                classes.add(row.get(label).trim());
            }
        }
        double rows = table.rows().size() * (1 - c.split().testFraction()
                - (c.folds() >= 2 ? 0 : c.split().validationFraction()));
        // A regression has one output (its "classes" are its label's distinct numbers, not outputs).
        return estimateMillis(family, Task.of(schema.task()), c.hyperParameters(), Math.max(1, (int) rows),
                Math.max(1, features), schema.regression() ? 1 : Math.max(2, classes.size()), c.folds(), c.refit());
    }

    static long estimateMillis(Family family, Task<?> task, Map<String, String> params, int rows, int features,
                               int classes, int folds, boolean refit) {
        Family.Shape shape = new Family.Shape(features, rows, classes);
        Family.Cost cost = family.cost(family.configure(task, params, 0L, shape).effective(), shape);
        int fits = folds >= 2 ? folds + 1 : (refit ? 2 : 1);
        // The artifact is written and read back at 0.3 µs per byte.
        return (long) ((cost.fitNanos() * fits + cost.artifactBytes() * 300) / 1e6);
    }

    /** The sentence a candidate fails with when it cannot finish in time. */
    public static String tooSlow(TrainingConfig c, long estimateMillis, long remainingMillis) {
        return String.format(Locale.ROOT, "candidate %s %s: training is estimated at %.0f s but the function has"
                        + " %.0f s left; reduce the data or the search (config.json training section), or train it"
                        + " as a container task (infra/statemachine/README.md: the scale path)", c.algorithm(), c.hyperParameters(),
                estimateMillis / 1000.0, remainingMillis / 1000.0);
    }
}
