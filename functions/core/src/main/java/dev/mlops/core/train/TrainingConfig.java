package dev.mlops.core.train;

import java.util.Map;
import java.util.Objects;

/**
 * How to train.
 *
 * @param algorithm       algorithm name; supported: {@value ModelTrainer#LOGISTIC_REGRESSION}
 * @param seed            seed of the trainer
 * @param split           which rows are trained on and which are held out
 * @param hyperParameters algorithm specific settings as strings; for logistic regression {@code epochs}
 *                        (default 50), {@code learningRate} (AdaGrad initial rate, default 1.0),
 *                        {@code minibatchSize} (default 1)
 */
public record TrainingConfig(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters) {

    /** Validates and copies the map. */
    public TrainingConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(split, "split");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    }

    /**
     * The default configuration: logistic regression, seed 42, 30% of rows held out by row hash.
     *
     * @return the defaults
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(ModelTrainer.LOGISTIC_REGRESSION, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
    }
}
