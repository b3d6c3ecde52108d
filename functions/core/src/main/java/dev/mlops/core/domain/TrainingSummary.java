package dev.mlops.core.domain;

import dev.mlops.core.data.SplitSpec;

import java.util.Map;

/**
 * How a model version was trained and how it scored on its own test rows.
 *
 * @param algorithm       trainer name
 * @param hyperParameters its settings
 * @param split           the row partition (which rows it trained on and which it never saw)
 * @param accuracy        test accuracy
 * @param macroF1         test macro-F1
 * @param trainRows       rows trained on
 * @param testRows        rows scored
 */
public record TrainingSummary(String algorithm, Map<String, String> hyperParameters, SplitSpec split, double accuracy,
                              double macroF1, int trainRows, int testRows) {

    public TrainingSummary {
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    }
}
