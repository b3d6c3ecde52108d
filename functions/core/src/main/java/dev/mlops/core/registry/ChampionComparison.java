package dev.mlops.core.registry;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.data.SplitSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a challenger and the champion on the same rows, and only on rows that <em>neither</em>
 * trained on: rows of the challenger's dataset that the challenger's split holds out for testing
 * and that the champion's split (applied to the champion's own columns) would have held out too.
 * Since both splits hash row content, a row the champion trained on in its own dataset can never
 * be among them, whatever the file order or the number of rows added since.
 */
public final class ChampionComparison {

    /** What the comparison found. */
    public sealed interface Result permits Compared, Unscorable {
    }

    /** Both scored on {@code rows} rows. */
    public record Compared(double challengerScore, double championScore, int rows) implements Result {
    }

    /** The champion cannot be scored on this dataset; the reason says why. */
    public record Unscorable(String reason) implements Result {
    }

    private ChampionComparison() {
    }

    /**
     * Compares the two models.
     *
     * @param table           the challenger's dataset
     * @param schema          its schema
     * @param challenger      the challenger
     * @param challengerSplit the challenger's row partition
     * @param champion        the champion
     * @param championSplit   the champion's row partition
     * @param metric          one of the task's metrics ({@link dev.mlops.core.model.task.Classification})
     */
    public static Result compare(CsvTable table, Schema schema, Predictor challenger, SplitSpec challengerSplit,
                                 Predictor champion, SplitSpec championSplit, String metric) {
        if (!champion.task().id().equals(challenger.task().id())) {
            return new Unscorable("it is a " + champion.task().id() + " model and the challenger a "
                    + challenger.task().id() + " one");
        }
        if (!champion.signature().label().equals(schema.label())) {
            return new Unscorable("it predicts \"" + champion.signature().label() + "\" but this dataset's label is \""
                    + schema.label() + "\"");
        }
        int[] challengerColumns = SplitSpec.columns(table, schema);
        List<String> championNames = new ArrayList<>();
        champion.signature().features().forEach(c -> championNames.add(c.name()));
        championNames.add(champion.signature().label());
        int[] championColumns = new int[championNames.size()];
        for (int i = 0; i < championColumns.length; i++) {
            championColumns[i] = table.columnIndex(championNames.get(i));
            if (championColumns[i] < 0) {
                return new Unscorable("its feature \"" + championNames.get(i) + "\" is not a column of this dataset");
            }
        }
        int label = table.columnIndex(schema.label());
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> row = table.rows().get(r);
            if (Missing.isMissing(row.get(label))) {
                continue;
            }
            if (challengerSplit.partitionOf(SplitSpec.cells(row, challengerColumns)) == SplitSpec.Partition.TEST
                    && championSplit.partitionOf(SplitSpec.cells(row, championColumns)) == SplitSpec.Partition.TEST) {
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            return new Unscorable("no row of this dataset is held out from both models");
        }
        Metrics championMetrics;
        try {
            championMetrics = Evaluation.evaluate(champion, table, schema, rows);
        } catch (IllegalArgumentException e) { // an InvalidInstanceException too: a ContractException
            return new Unscorable(e.getMessage());
        }
        Metrics challengerMetrics = Evaluation.evaluate(challenger, table, schema, rows);
        Double challengerScore = challengerMetrics.score(metric);
        Double championScore = championMetrics.score(metric);
        if (challengerScore == null || championScore == null) {
            return new Unscorable(metric + " cannot be computed for " + (challengerScore == null ? "the challenger"
                    : "the champion") + " (its scores are not probabilities, or the rows hold one class only)");
        }
        return new Compared(challengerScore, championScore, rows.size());
    }
}
