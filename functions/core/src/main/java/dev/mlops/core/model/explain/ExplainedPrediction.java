package dev.mlops.core.model.explain;

import dev.mlops.core.model.Prediction;

/**
 * One instance's prediction (exactly what {@code :predict} answers) and why.
 *
 * @param prediction  the predicted class and the scores
 * @param explanation the contributions to the predicted class's output
 */
public record ExplainedPrediction(Prediction prediction, Explanation explanation) {
}
