package dev.mlops.core.data;

import java.util.List;

/**
 * A partition of a table's rows, usually made by a {@link SplitSpec}.
 *
 * @param trainRows      0-based data row indices to train on, in the order they are trained on
 * @param validationRows rows held out for model selection (may be empty)
 * @param testRows       rows held out for the final score
 */
public record Split(List<Integer> trainRows, List<Integer> validationRows, List<Integer> testRows) {

    /** Defensive copies. */
    public Split {
        trainRows = List.copyOf(trainRows);
        validationRows = List.copyOf(validationRows);
        testRows = List.copyOf(testRows);
    }

    /** A split without validation rows (a fixed reference split, say). */
    public static Split of(List<Integer> trainRows, List<Integer> testRows) {
        return new Split(trainRows, List.of(), testRows);
    }
}
