package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.SplitSpec;

import java.util.Map;

/**
 * One candidate to train: a trainer and its hyper-parameters, with the seed and the row partition
 * that make it reproducible.
 *
 * @param algorithm       trainer name
 * @param seed            trainer seed
 * @param split           which rows are trained on and which are held out
 * @param hyperParameters trainer settings (empty for the defaults)
 */
public record CandidateSpec(String algorithm, @JsonProperty(required = true) long seed, SplitSpec split,
                            Map<String, String> hyperParameters) {

    public CandidateSpec {
        ContractException.required(algorithm, "algorithm");
        ContractException.required(split, "split");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    }

    /** The default candidate: seeded logistic regression, 30% of rows held out by row hash. */
    public static CandidateSpec defaultLogisticRegression() {
        return new CandidateSpec(ModelTrainer.LOGISTIC_REGRESSION, 42L, SplitSpec.rowHash(42L, 0.3), Map.of());
    }
}
