package dev.mlops.core.batch;

import java.util.Map;

/**
 * What scoring one part gave (also kept beside its rows, so the join reads every part's counts).
 *
 * @param part        the part's index
 * @param rows        rows read
 * @param errors      rows that got an error instead of a prediction
 * @param predictions how many rows got each label
 * @param denseRows   rows scored on the model's dense batch path (an XGBoost classifier's booster on one matrix);
 *                    the others went through the predictor row by row, as {@code :predict} takes them
 * @param bytes       bytes of its scored rows (the first part's with the output's header before them)
 * @param millis      how long scoring it took (read, score, write)
 * @param startedAt   when its scoring started (epoch milliseconds): with the plan's end, how long it waited for an
 *                    execution environment
 * @param phases      where its time went
 */
public record PartResult(int part, long rows, long errors, Map<String, Long> predictions, long denseRows, long bytes,
                         long millis, long startedAt, Phases phases) {

    public PartResult {
        predictions = Map.copyOf(predictions);
    }

    /**
     * Where a part's time went, in milliseconds, in the order it is spent.
     *
     * @param read   the range GET of its bytes
     * @param parse  cutting them into lines and cells
     * @param score  the model's calls (and the rows' encoding)
     * @param format writing the scored rows as CSV
     * @param write  the PUT of its rows and counts
     */
    public record Phases(long read, long parse, long score, long format, long write) {
    }
}
