package dev.mlops.core.train;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Schema;
import dev.mlops.core.pipeline.CandidateSpec;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rough, deliberately pessimistic estimate of how long one candidate takes to train, serialise and
 * evaluate, so that a candidate that cannot finish within the function's time fails at once with a
 * reason instead of being killed by the timeout after 15 minutes.
 *
 * <p>The constants are per-unit costs measured on the reference machine (2 cores, JDK 17, full JIT)
 * with the bundled letter data (BENCHMARKS.md, "Training search"), rounded up: linear models
 * 50 ns per row × feature × class × epoch; a tree 300 ns per row × log2(rows) × features tried per
 * split; Tribuo's tree protobuf about 20 bytes per row × (classes + 4) per fully grown tree, written and
 * read back at 0.3 µs per byte; XGBoost 15 ns per row × feature × tree × class. Cross-validation
 * multiplies the fits by folds + 1.
 */
public final class TrainingTime {

    private TrainingTime() {
    }

    /**
     * The estimate for one candidate on a table.
     *
     * @return estimated milliseconds (fit, selection fits, serialisation)
     */
    public static long estimateMillis(CandidateSpec c, CsvTable table, Schema schema) {
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
        return estimateMillis(family, c.hyperParameters(), Math.max(1, (int) rows), Math.max(1, features),
                Math.max(2, classes.size()), c.folds(), c.refit());
    }

    static long estimateMillis(Family family, Map<String, String> params, int rows, int features, int classes,
                               int folds, boolean refit) {
        Family.Configured configured = family.configure(params, 0L, new Family.Shape(features, rows, classes));
        Map<String, String> p = configured.effective();
        double log2 = Math.max(1, Math.log(rows) / Math.log(2));
        double ns;
        double bytes = 0;
        switch (family) {
            case LOGISTIC_REGRESSION, LINEAR_SVM -> ns = 50.0 * rows * (features + 1) * classes
                    * Integer.parseInt(p.get("epochs"));
            case CART -> {
                ns = 300.0 * rows * log2 * features;
                bytes = 20.0 * rows * (classes + 4);
            }
            case RANDOM_FOREST, EXTRA_TREES -> {
                int trees = Integer.parseInt(p.get("numTrees"));
                double tried = Math.max(1, Math.sqrt(features));
                ns = trees * 300.0 * rows * log2 * tried;
                bytes = trees * 20.0 * rows * (classes + 4) * (family == Family.EXTRA_TREES ? 1.5 : 1);
            }
            default -> ns = 15.0 * rows * features * Integer.parseInt(p.get("numTrees")) * classes;
        }
        int fits = folds >= 2 ? folds + 1 : (refit ? 2 : 1);
        return (long) ((ns * fits + bytes * 300) / 1e6);
    }

    /** The sentence a candidate fails with when it cannot finish in time. */
    static String tooSlow(CandidateSpec c, long estimateMillis, long remainingMillis) {
        return String.format(Locale.ROOT, "candidate %s %s: training is estimated at %.0f s but the function has"
                        + " %.0f s left; reduce the data or the search (config.json training section), or train it"
                        + " as a container task (infra/statemachine/README.md: the scale path)", c.algorithm(), c.hyperParameters(),
                estimateMillis / 1000.0, remainingMillis / 1000.0);
    }
}
