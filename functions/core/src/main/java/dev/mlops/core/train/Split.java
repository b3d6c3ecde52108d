package dev.mlops.core.train;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A train/test partition of a table's rows.
 *
 * @param trainRows 0-based data row indices used for training, ascending
 * @param testRows  0-based data row indices held out for evaluation, ascending
 */
public record Split(List<Integer> trainRows, List<Integer> testRows) {

    /** Defensive copies. */
    public Split {
        trainRows = List.copyOf(trainRows);
        testRows = List.copyOf(testRows);
    }

    /**
     * Stratified split: within every label class (classes in sorted order, rows in file order) the rows are
     * shuffled with a {@link Random} seeded by {@code seed}, and {@code round(n * testFraction)} of them (at least
     * one, and at most {@code n - 1} when {@code n >= 2}) go to the test set. Rows with a missing label are left
     * out. The same table, seed and fraction always give the same split.
     *
     * @param t            the table
     * @param s            its schema
     * @param seed         shuffle seed
     * @param testFraction fraction held out, strictly between 0 and 1
     * @return the split
     */
    public static Split stratified(CsvTable t, Schema s, long seed, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be strictly between 0 and 1, got " + testFraction);
        }
        int li = t.columnIndex(s.label());
        if (li < 0) {
            throw new IllegalArgumentException("label column \"" + s.label() + "\" is not in the table");
        }
        Map<String, List<Integer>> byClass = new TreeMap<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String v = t.rows().get(r).get(li);
            if (!dev.mlops.core.data.Missing.isMissing(v)) {
                byClass.computeIfAbsent(v.trim(), k -> new ArrayList<>()).add(r);
            }
        }
        Random rnd = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            Collections.shuffle(rows, rnd);
            int n = rows.size();
            int k = (int) Math.round(n * testFraction);
            k = Math.max(1, k);
            if (n >= 2) {
                k = Math.min(n - 1, k);
            }
            test.addAll(rows.subList(0, k));
            train.addAll(rows.subList(k, n));
        }
        Collections.sort(train);
        Collections.sort(test);
        return new Split(train, test);
    }
}
