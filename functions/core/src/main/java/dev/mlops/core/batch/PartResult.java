package dev.mlops.core.batch;

import java.util.Map;

/**
 * What scoring one part gave (also kept beside its rows, so the join reads every part's counts).
 *
 * @param part        the part's index
 * @param rows        rows read
 * @param errors      rows that got an error instead of a prediction
 * @param predictions how many rows got each label
 * @param bytes       bytes of its scored rows
 * @param millis      how long scoring it took (read, score, write)
 */
public record PartResult(int part, long rows, long errors, Map<String, Long> predictions, long bytes, long millis) {

    public PartResult {
        predictions = Map.copyOf(predictions);
    }
}
