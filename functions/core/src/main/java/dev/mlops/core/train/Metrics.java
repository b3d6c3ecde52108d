package dev.mlops.core.train;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluation metrics.
 *
 * @param accuracy  fraction of correct predictions
 * @param macroF1   unweighted mean F1 over the classes in {@code perClass}
 * @param perClass  metrics per class, sorted by class
 * @param trainRows number of rows the model was trained on (0 if unknown to the evaluator)
 * @param testRows  number of rows evaluated
 */
public record Metrics(double accuracy, double macroF1, Map<String, ClassMetrics> perClass, int trainRows, int testRows) {

    /** Sorted unmodifiable copy. */
    public Metrics {
        perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
    }

    /**
     * Copy with the number of training rows set.
     *
     * @param n training rows
     * @return the new metrics
     */
    public Metrics withTrainRows(int n) {
        return new Metrics(accuracy, macroF1, perClass, n, testRows);
    }
}
