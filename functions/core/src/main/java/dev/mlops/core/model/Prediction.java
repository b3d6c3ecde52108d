package dev.mlops.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One prediction, of the task's kind: a class ({@code label} and {@code scores}, and for a binary model with a
 * decision threshold the positive class's {@code score} the threshold was applied to) or a number ({@code value}).
 * What a kind does not have is left out of the JSON.
 *
 * @param label  the predicted class (null for a regression)
 * @param scores probability per class, every class of the signature present, in signature order (empty for a
 *               regression)
 * @param score  the positive class's score, compared with the signature's threshold (null unless binary)
 * @param value  the predicted number (null for a classification)
 */
public record Prediction(String label, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> scores,
                         Double score, Double value) {

    /** Unmodifiable, order-preserving copy. */
    public Prediction {
        scores = scores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** A class with its scores. */
    public Prediction(String label, Map<String, Double> scores) {
        this(label, scores, null, null);
    }

    /** A class decided by a threshold on the positive class's score. */
    public static Prediction thresholded(String label, Map<String, Double> scores, double score) {
        return new Prediction(label, scores, score, null);
    }

    /** A number. */
    public static Prediction value(double value) {
        return new Prediction(null, Map.of(), null, value);
    }
}
