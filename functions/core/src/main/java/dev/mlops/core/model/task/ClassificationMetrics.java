package dev.mlops.core.model.task;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics of a classification: label metrics, the confusion matrix and the ranking metrics of the scores.
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
 * @param rocAuc    area under the ROC curve of the positive class (the second in sorted order, scikit-learn's
 *                  default) for a binary problem; null otherwise
 * @param prAuc     area under the precision-recall curve of the positive class as average precision
 *                  (scikit-learn's {@code average_precision_score}) for a binary problem; null otherwise
 * @param curves    the ROC and precision-recall curves of that class for a binary problem; null otherwise
 */
public record ClassificationMetrics(double accuracy, double macroF1, Map<String, ClassMetrics> perClass, int trainRows,
                                    int testRows,
                                    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Long>> confusion,
                                    Double logLoss, Double rocAuc, Double prAuc, BinaryCurves curves)
        implements Metrics {

    /** Sorted unmodifiable copies. */
    public ClassificationMetrics {
        perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
        Map<String, Map<String, Long>> c = new TreeMap<>();
        if (confusion != null) {
            confusion.forEach((k, v) -> c.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        }
        confusion = Collections.unmodifiableMap(c);
    }

    /** Label metrics only (no confusion matrix, log-loss, areas under curves or curves). */
    public ClassificationMetrics(double accuracy, double macroF1, Map<String, ClassMetrics> perClass, int trainRows,
                                 int testRows) {
        this(accuracy, macroF1, perClass, trainRows, testRows, Map.of(), null, null, null, null);
    }

    /**
     * Copy with the number of training rows set.
     *
     * @param n training rows
     * @return the new metrics
     */
    @Override
    public ClassificationMetrics withTrainRows(int n) {
        return new ClassificationMetrics(accuracy, macroF1, perClass, n, testRows, confusion, logLoss, rocAuc, prAuc,
                curves);
    }

    @Override
    public Double score(String metric) {
        return switch (metric) {
            case Classification.ACCURACY -> accuracy;
            case Classification.MACRO_F1 -> macroF1;
            case Classification.ROC_AUC -> rocAuc;
            case Classification.PR_AUC -> prAuc;
            case Classification.LOG_LOSS -> logLoss;
            default -> throw new IllegalArgumentException("unknown classification metric \"" + metric + "\"");
        };
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Classification.ACCURACY, accuracy);
        m.put(Classification.MACRO_F1, macroF1);
        if (logLoss != null) {
            m.put(Classification.LOG_LOSS, logLoss);
        }
        if (rocAuc != null) {
            m.put(Classification.ROC_AUC, rocAuc);
        }
        if (prAuc != null) {
            m.put(Classification.PR_AUC, prAuc);
        }
        m.put("rows", testRows);
        return m;
    }
}
