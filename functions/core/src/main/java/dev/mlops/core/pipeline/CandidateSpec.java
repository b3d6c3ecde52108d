package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.task.Classification;

import java.util.Map;

/**
 * One candidate to train: a trainer and its hyper-parameters, with the seed and the row partition
 * that make it reproducible, and how the run's candidates are compared.
 *
 * @param algorithm       trainer name (a {@link dev.mlops.core.model.family.Family})
 * @param seed            trainer seed
 * @param split           which rows are trained on, which select and which are held out
 * @param hyperParameters trainer settings (empty for the defaults)
 * @param selectionMetric what the run's candidates are compared on, on their validation rows:
 *                        {@code accuracy} (default) or {@code macro_f1}; the same for every candidate of a run
 * @param refit           refit on training + validation rows before the artifact is written (default false)
 * @param folds           0 (default): score the validation rows; k from 2 to 20: k-fold cross-validation over the
 *                        training and validation rows together (folds by row hash, test rows kept out), the
 *                        out-of-fold predictions pooled into the validation metrics, and the shipped model fitted
 *                        on all those rows
 */
public record CandidateSpec(String algorithm, @JsonProperty(required = true) long seed, SplitSpec split,
                            Map<String, String> hyperParameters, String selectionMetric, Boolean refit,
                            Integer folds) {

    public CandidateSpec {
        ContractException.required(algorithm, "algorithm");
        ContractException.required(split, "split");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
        selectionMetric = selectionMetric == null ? Classification.TASK.defaultMetric() : selectionMetric;
        if (!Classification.TASK.knows(selectionMetric)) {
            throw new ContractException("field \"selection_metric\": expected " + Classification.TASK.metricNames()
                    + ", got \"" + selectionMetric + "\"");
        }
        refit = refit != null && refit;
        folds = folds == null ? 0 : folds;
        if (folds != 0 && (folds < 2 || folds > 20)) {
            throw new ContractException("field \"folds\": 0 (validation rows) or 2 to 20, got " + folds);
        }
    }

    /** Selection on accuracy, no refit. */
    public CandidateSpec(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters) {
        this(algorithm, seed, split, hyperParameters, null, null, null);
    }

    /** The default candidate: seeded logistic regression, 30% of rows held out by row hash. */
    public static CandidateSpec defaultLogisticRegression() {
        return new CandidateSpec(LogisticRegression.ID, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
    }
}
