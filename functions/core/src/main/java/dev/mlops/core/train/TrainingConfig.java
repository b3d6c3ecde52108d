package dev.mlops.core.train;

import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.task.DecisionThreshold;

import java.util.Map;
import java.util.Objects;

/**
 * How to train one candidate.
 *
 * @param algorithm       the {@link dev.mlops.core.model.family.Family} by name, e.g. {@code random-forest}
 * @param seed            seed of the trainer
 * @param split           which rows are trained on, which select and which are held out
 * @param hyperParameters family-specific settings as strings (see {@link dev.mlops.core.model.family.Family}); defaults where absent
 * @param refit           after scoring on the validation rows, train again on training + validation rows
 *                        (test rows stay out) and ship that model; the validation score stays the first fit's
 * @param folds           0: validation scores from the validation rows; k ≥ 2: from k-fold cross-validation over
 *                        training + validation rows, and the shipped model is fitted on all of them
 * @param threshold       how a binary classifier's decision threshold is chosen on the validation rows (default:
 *                        the model's own decision)
 */
public record TrainingConfig(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters,
                             boolean refit, int folds, DecisionThreshold.Rule threshold) {

    /** Validates and copies the map. */
    public TrainingConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(split, "split");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
        threshold = threshold == null ? DecisionThreshold.Rule.defaults() : threshold;
    }

    /** The model's own decision for a binary classifier. */
    public TrainingConfig(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters,
                          boolean refit, int folds) {
        this(algorithm, seed, split, hyperParameters, refit, folds, null);
    }

    /** Validation rows, no refit. */
    public TrainingConfig(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters) {
        this(algorithm, seed, split, hyperParameters, false, 0);
    }

    /**
     * The default configuration: logistic regression, seed 42, 30% of rows held out by row hash.
     *
     * @return the defaults
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(LogisticRegression.ID, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
    }
}
