package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.SplitSpec;

import java.util.Map;

/**
 * One candidate to train: a trainer and its hyper-parameters, with the seed and the row partition
 * that make it reproducible, and how the run's candidates are compared.
 *
 * @param algorithm       trainer name (a {@link dev.mlops.core.train.Family})
 * @param seed            trainer seed
 * @param split           which rows are trained on, which select and which are held out
 * @param hyperParameters trainer settings (empty for the defaults)
 * @param selectionMetric what the run's candidates are compared on, on their validation rows:
 *                        {@code accuracy} (default) or {@code macro_f1}; the same for every candidate of a run
 * @param refit           refit on training + validation rows before the artifact is written (default false)
 */
public record CandidateSpec(String algorithm, @JsonProperty(required = true) long seed, SplitSpec split,
                            Map<String, String> hyperParameters, String selectionMetric, Boolean refit) {

    public CandidateSpec {
        ContractException.required(algorithm, "algorithm");
        ContractException.required(split, "split");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
        selectionMetric = selectionMetric == null ? BlessingPolicy.ACCURACY : selectionMetric;
        if (!BlessingPolicy.ACCURACY.equals(selectionMetric) && !BlessingPolicy.MACRO_F1.equals(selectionMetric)) {
            throw new ContractException("field \"selection_metric\": expected accuracy or macro_f1, got \""
                    + selectionMetric + "\"");
        }
        refit = refit != null && refit;
    }

    /** Selection on accuracy, no refit. */
    public CandidateSpec(String algorithm, long seed, SplitSpec split, Map<String, String> hyperParameters) {
        this(algorithm, seed, split, hyperParameters, null, null);
    }

    /** The default candidate: seeded logistic regression, 30% of rows held out by row hash. */
    public static CandidateSpec defaultLogisticRegression() {
        return new CandidateSpec(ModelTrainer.LOGISTIC_REGRESSION, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
    }
}
