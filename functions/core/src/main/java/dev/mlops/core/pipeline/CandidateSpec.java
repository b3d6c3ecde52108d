package dev.mlops.core.pipeline;

import java.util.Map;

/** One candidate to train: a trainer and its hyper-parameters, with the seed and split that make it reproducible. */
public record CandidateSpec(String algorithm, long seed, double testFraction, Map<String, String> hyperParameters) {

    /** The default candidate: seeded logistic regression on a 70/30 stratified split. */
    public static CandidateSpec defaultLogisticRegression() {
        return new CandidateSpec("logistic-regression", 42L, 0.3, Map.of());
    }
}
