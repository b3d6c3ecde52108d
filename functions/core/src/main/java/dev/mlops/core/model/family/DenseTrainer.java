package dev.mlops.core.model.family;

import dev.mlops.core.model.TrainingRows;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * A trainer that fits straight from a dense table's rows ({@link TrainingRows}): no Tribuo {@code Example} per
 * row, memory of a few bytes per cell. The families whose trainers are Tribuo's own fit from examples instead.
 */
public interface DenseTrainer {

    /**
     * What a fit made.
     *
     * @param model  the model (its provenance's time is normalised by the caller)
     * @param chosen hyper-parameters the fit settled itself (boosting rounds kept by early stopping, say), to be
     *               given to a refit of the same candidate, which has no rows to watch; empty when none
     */
    record Fit(Model<Label> model, Map<String, String> chosen) {

        /** Copies. */
        public Fit {
            chosen = Map.copyOf(chosen);
        }
    }

    /** Fits on the rows. */
    Fit train(TrainingRows rows);
}
