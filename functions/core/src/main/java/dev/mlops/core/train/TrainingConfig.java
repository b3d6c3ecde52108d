package dev.mlops.core.train;

import java.util.Map;
import java.util.Objects;

/**
 * How to train.
 *
 * @param algorithm       algorithm name; supported: {@value ModelTrainer#LOGISTIC_REGRESSION}
 * @param seed            seed of the split and of the trainer
 * @param testFraction    fraction of each class held out for evaluation, strictly between 0 and 1
 * @param hyperParameters algorithm specific settings as strings; for logistic regression {@code epochs}
 *                        (default 50), {@code learningRate} (AdaGrad initial rate, default 1.0),
 *                        {@code minibatchSize} (default 1)
 */
public record TrainingConfig(String algorithm, long seed, double testFraction, Map<String, String> hyperParameters) {

    /** Validates ranges and copies the map. */
    public TrainingConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be strictly between 0 and 1, got " + testFraction);
        }
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    }

    /**
     * The default configuration: logistic regression, seed 42, 30% test.
     *
     * @return the defaults
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(ModelTrainer.LOGISTIC_REGRESSION, 42L, 0.3, Map.of());
    }
}
