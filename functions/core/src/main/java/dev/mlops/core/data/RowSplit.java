package dev.mlops.core.data;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link Split} as arrays of row indices, which is how training and evaluation walk rows of a {@link DenseTable}
 * (millions of rows: no boxed {@code Integer} per row). The arrays are shared, not copied: do not modify them.
 *
 * @param train      rows to train on, in the order they are trained on
 * @param validation rows held out for model selection (may be empty)
 * @param test       rows held out for the final score
 */
public record RowSplit(int[] train, int[] validation, int[] test) {

    /** The same partition as arrays. */
    public static RowSplit of(Split split) {
        return new RowSplit(array(split.trainRows()), array(split.validationRows()), array(split.testRows()));
    }

    /** The same partition as lists (small tables: the tracking records and the tests). */
    public Split toSplit() {
        return new Split(list(train), list(validation), list(test));
    }

    private static int[] array(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Integer> list(int[] rows) {
        return Arrays.stream(rows).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowSplit s && Arrays.equals(train, s.train) && Arrays.equals(validation, s.validation)
                && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(train) + Arrays.hashCode(validation)) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "RowSplit[train=" + train.length + ", validation=" + validation.length + ", test=" + test.length + "]";
    }
}
