package dev.mlops.core.pipeline;

import dev.mlops.core.data.Schema;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.data.ValidationConfig;
import dev.mlops.core.drift.DriftConfig;

/**
 * A dataset's pipeline settings, read from {@code schemas/<dataset>/config.json} when it exists
 * (defaults otherwise) and copied into every run's request, so a run is reproducible from its
 * request alone. Unknown fields are errors naming the field.
 *
 * @param blessing   how challengers are judged
 * @param approval   whether a blessed version needs a person's approval before it serves; read by the
 *                   registry when the version is ready to promote (a governance setting applies from the
 *                   moment it is changed), not copied into the request
 * @param validation how strict ingest validation is (missing markers, thresholds, severity per anomaly kind);
 *                   read by ingestion, not copied into the request
 * @param training   which candidates a run trains and how the best is chosen; expanded into the request's
 *                   candidates when the run starts
 * @param drift      how drift checks of the dataset's model decide, and what they start (tests, thresholds,
 *                   minimum rows, live quality, retraining); read by each check, not copied into the request
 * @param rollout    how a blessed challenger reaches production (direct, shadow or canary); read by the registry
 *                   when the version is ready to promote, and copied into the rollout it starts
 * @param task       the dataset's task, {@code classification} or {@code regression} (null: the upload's object
 *                   metadata {@code task} names it, or the first upload's label infers it); read by ingestion
 */
public record PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval, ValidationConfig validation,
                             TrainingSettings training, DriftConfig drift, RolloutPolicy rollout, String task) {

    public PipelineConfig {
        if (task != null && !Schema.TASKS.contains(task)) {
            throw new ContractException("field \"task\": expected classification or regression, got \"" + task + "\"");
        }
        blessing = blessing == null ? BlessingPolicy.defaults() : blessing;
        approval = approval == null ? ApprovalPolicy.defaults() : approval;
        validation = validation == null ? ValidationConfig.defaults() : validation;
        training = training == null ? TrainingSettings.defaults() : training;
        drift = drift == null ? DriftConfig.defaults() : drift;
        rollout = rollout == null ? RolloutPolicy.defaults() : rollout;
    }

    /** Settings that leave the rollout at its default and the task to the upload. */
    public PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval, ValidationConfig validation,
                          TrainingSettings training, DriftConfig drift) {
        this(blessing, approval, validation, training, drift, null, null);
    }

    /** Settings without a validation, training or drift section. */
    public PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval) {
        this(blessing, approval, null, null, null, null, null);
    }

    /** Settings without a training or drift section. */
    public PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval, ValidationConfig validation) {
        this(blessing, approval, validation, null, null, null, null);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(null, null, null, null, null, null, null);
    }
}
