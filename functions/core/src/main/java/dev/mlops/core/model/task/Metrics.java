package dev.mlops.core.model.task;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Map;

/**
 * The metrics of one evaluation, of the task's kind: {@link ClassificationMetrics} or {@link RegressionMetrics}.
 * Stored documents carry no type field: the fields present say which (a classification document has {@code
 * accuracy}, a regression one {@code rmse}), so every metrics document written before regression existed reads
 * unchanged.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({@JsonSubTypes.Type(ClassificationMetrics.class), @JsonSubTypes.Type(RegressionMetrics.class)})
public sealed interface Metrics permits ClassificationMetrics, RegressionMetrics {

    /** Rows the model was trained on (0 if unknown to the evaluator). */
    int trainRows();

    /** Rows evaluated. */
    int testRows();

    /** A copy with the number of training rows set. */
    Metrics withTrainRows(int n);

    /**
     * The value of one of the task's metrics by name ({@link Task#metrics()}), or null when it cannot be
     * computed for these predictions (log-loss of scores that are not probabilities, say).
     */
    Double score(String metric);

    /** A short summary (no per-class or per-row detail), for leaderboards, payloads and the registry. */
    Map<String, Object> summary();
}
