package dev.mlops.core.model.family;

import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.classification.sgd.objectives.LogMulticlass;

/** {@code logistic-regression}: multinomial logistic regression by SGD ({@link LogMulticlass}); see {@link LinearSgd}. */
public final class LogisticRegression extends LinearSgd {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "logistic-regression";

    LogisticRegression() {
        super(ID, "logistic_regression", true);
    }

    @Override
    LabelObjective objective() {
        return new LogMulticlass();
    }
}
