package dev.mlops.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One prediction.
 *
 * @param label  the predicted class
 * @param scores probability per class, every class of the signature present, in signature order
 */
public record Prediction(String label, Map<String, Double> scores) {

    /** Unmodifiable, order-preserving copy. */
    public Prediction {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
}
