package dev.mlops.core.model.explain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each feature's contribution to one output of one prediction: {@code base_value} plus the contributions add
 * up to {@code value} (exactly for {@code linear}; within float rounding for {@code xgboost_tree_shap}; exactly,
 * by construction, for {@code sampling_shapley}, whose contributions are themselves estimates).
 *
 * @param method        how the contributions were computed: {@value Explainer#LINEAR}, {@value
 *                      Explainer#TREE_SHAP} or {@value Explainer#SAMPLING_SHAPLEY}
 * @param output        what is explained: {@code margin} (the class's raw score before the softmax) or {@code
 *                      probability}
 * @param target        the class whose output is explained (the predicted one)
 * @param baseValue     the output with no feature known (the bias; XGBoost's expected margin; the output at
 *                      the training means)
 * @param value         the output for this instance
 * @param contributions per feature column of the signature, in signature order (0 for a missing value)
 */
public record Explanation(String method, String output, String target, double baseValue, double value,
                          Map<String, Double> contributions) {

    /** Unmodifiable, order-preserving copy. */
    public Explanation {
        contributions = Collections.unmodifiableMap(new LinkedHashMap<>(contributions));
    }

    /**
     * The {@code k} largest contributions by magnitude, largest first (ties in signature order): what a batch
     * scoring row carries with {@code --explain K}.
     *
     * @param k how many; at least 1
     * @return up to {@code k} feature → contribution entries
     */
    public List<Map.Entry<String, Double>> top(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>(contributions.entrySet());
        entries.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())));
        return List.copyOf(entries.subList(0, Math.min(k, entries.size())));
    }
}
