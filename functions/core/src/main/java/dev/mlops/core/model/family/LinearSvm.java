package dev.mlops.core.model.family;

import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.classification.sgd.objectives.Hinge;

/**
 * {@code linear-svm}: a linear SVM by SGD on the multi-class hinge loss ({@link Hinge}); see {@link LinearSgd}.
 * Its scores are margins, not probabilities (no log-loss).
 */
public final class LinearSvm extends LinearSgd {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "linear-svm";

    LinearSvm() {
        super(ID, "linear_svm", false);
    }

    @Override
    LabelObjective objective() {
        return new Hinge();
    }
}
