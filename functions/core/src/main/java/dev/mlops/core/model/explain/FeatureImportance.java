package dev.mlops.core.model.explain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much a model relies on each feature column, measured on held-out rows (the model card's and the training
 * report's global explanation).
 *
 * @param method     {@code permutation}: the drop of {@code metric} when the column's values are shuffled among
 *                   the rows, averaged over {@code repeats} shuffles
 * @param metric     the metric that drops ({@code accuracy})
 * @param baseline   the metric on the rows as they are
 * @param rows       the rows it was measured on
 * @param repeats    shuffles per column
 * @param importance per column, the mean drop (larger: relied on more; about 0: not at all), largest first
 * @param spread     per column, the standard deviation of the drop over the shuffles
 * @param gain       XGBoost only: each column's share of the ensemble's total gain; empty for other families
 */
public record FeatureImportance(String method, String metric, double baseline, int rows, int repeats,
                                Map<String, Double> importance, Map<String, Double> spread,
                                Map<String, Double> gain) {

    /** Unmodifiable, order-preserving copies. */
    public FeatureImportance {
        importance = Collections.unmodifiableMap(new LinkedHashMap<>(importance));
        spread = Collections.unmodifiableMap(new LinkedHashMap<>(spread));
        gain = gain == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(gain));
    }
}
