package dev.mlops.core.model.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlops.core.train.Evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param confusion confusion matrix: true class → predicted class → rows (every class of {@code perClass} on
 *                  both sides, zeros included), empty when not computed
 * @param logLoss   mean negative log of the probability given to the true class (clipped at 1e-15, as
 *                  scikit-learn); null when the model's scores are not probabilities
 * @param rocAuc    area under the ROC curve of the second class (in sorted order, scikit-learn's positive
 *                  class) for a binary problem; null otherwise
 * @param curves    the ROC and precision-recall curves of that class for a binary problem; null otherwise
 */
public record Metrics(double accuracy, double macroF1, Map<String, ClassMetrics> perClass, int trainRows, int testRows,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Long>> confusion,
                      Double logLoss, Double rocAuc, BinaryCurves curves) {

    /** Sorted unmodifiable copies. */
    public Metrics {
        perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
        Map<String, Map<String, Long>> c = new TreeMap<>();
        if (confusion != null) {
            confusion.forEach((k, v) -> c.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        }
        confusion = Collections.unmodifiableMap(c);
    }

    /** Label metrics only (no confusion matrix, log-loss, ROC AUC or curves). */
    public Metrics(double accuracy, double macroF1, Map<String, ClassMetrics> perClass, int trainRows, int testRows) {
        this(accuracy, macroF1, perClass, trainRows, testRows, Map.of(), null, null, null);
    }

    /**
     * Copy with the number of training rows set.
     *
     * @param n training rows
     * @return the new metrics
     */
    public Metrics withTrainRows(int n) {
        return new Metrics(accuracy, macroF1, perClass, n, testRows, confusion, logLoss, rocAuc, curves);
    }

    /** The value of a selection metric by name: {@code accuracy} or {@code macro_f1}. */
    public double score(String metric) {
        return Classification.MACRO_F1.equals(metric) ? macroF1 : accuracy;
    }

    /** A short summary (no per-class detail), for leaderboards and state payloads. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Classification.ACCURACY, accuracy);
        m.put(Classification.MACRO_F1, macroF1);
        if (logLoss != null) {
            m.put("log_loss", logLoss);
        }
        if (rocAuc != null) {
            m.put("roc_auc", rocAuc);
        }
        m.put("rows", testRows);
        return m;
    }
}
