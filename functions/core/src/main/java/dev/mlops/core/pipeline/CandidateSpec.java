package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.task.DecisionThreshold;
import dev.mlops.core.model.task.Task;

import java.util.Map;

/**
 * One candidate to train: a trainer and its hyper-parameters, with the seed and the row partition
 * that make it reproducible, and how the run's candidates are compared.
 *
 * @param algorithm       trainer name (a {@link dev.mlops.core.model.family.Family})
 * @param seed            trainer seed
 * @param split           which rows are trained on, which select and which are held out
 * @param hyperParameters trainer settings (empty for the defaults)
 * @param selectionMetric what the run's candidates are compared on, on their validation rows: one of the task's
 *                        metrics ({@code accuracy} for a classification, {@code rmse} for a regression by
 *                        default); the same for every candidate of a run
 * @param refit           refit on training + validation rows before the artifact is written (default false)
 * @param folds           0 (default): score the validation rows; k from 2 to 20: k-fold cross-validation over the
 *                        training and validation rows together (folds by row hash, test rows kept out), the
 *                        out-of-fold predictions pooled into the validation metrics, and the shipped model fitted
 *                        on all those rows
 * @param task            the dataset's task: {@code classification} (default: documents written before tasks were
 *                        named) or {@code regression}
 * @param threshold       how a binary classifier's decision threshold is tuned on the validation rows (null: the
 *                        model's own decision)
 */
public record CandidateSpec(String algorithm, @JsonProperty(required = true) long seed, SplitSpec split,
                            Map<String, String> hyperParameters, String selectionMetric, Boolean refit,
                            Integer folds, String task, DecisionThreshold.Rule threshold) {

    public CandidateSpec {
        ContractException.required(algorithm, "algorithm");
        ContractException.required(split, "split");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
        Task<?> t;
        try {
            t = Task.of(task);
        } catch (IllegalArgumentException e) {
            throw new ContractException("field \"task\": " + e.getMessage());
        }
        task = t.id();
        selectionMetric = selectionMetric == null ? t.defaultMetric() : selectionMetric;
        String refused = t.refusal("field \"selection_metric\"", selectionMetric);
        if (refused != null) {
            throw new ContractException(refused);
        }
        refit = refit != null && refit;
        folds = folds == null ? 0 : folds;
        if (folds != 0 && (folds < 2 || folds > 20)) {
            throw new ContractException("field \"folds\": 0 (validation rows) or 2 to 20, got " + folds);
        }
    }

    /** A classification's candidate with the model's own decision. */
    public CandidateSpec(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters,
                         String selectionMetric, Boolean refit, Integer folds) {
        this(algorithm, seed, split, hyperParameters, selectionMetric, refit, folds, null, null);
    }

    /** The task's candidate type. */
    public Task<?> taskType() {
        return Task.of(task);
    }

    /** Selection on accuracy, no refit. */
    public CandidateSpec(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters) {
        this(algorithm, seed, split, hyperParameters, null, null, null, null, null);
    }

    /** The default candidate: seeded logistic regression, 30% of rows held out by row hash. */
    public static CandidateSpec defaultLogisticRegression() {
        return new CandidateSpec(LogisticRegression.ID, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
    }
}
