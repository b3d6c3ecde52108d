package dev.mlops.core.pipeline;

import dev.mlops.core.data.ValidationConfig;

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
 */
public record PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval, ValidationConfig validation,
                             TrainingSettings training) {

    public PipelineConfig {
        blessing = blessing == null ? BlessingPolicy.defaults() : blessing;
        approval = approval == null ? ApprovalPolicy.defaults() : approval;
        validation = validation == null ? ValidationConfig.defaults() : validation;
        training = training == null ? TrainingSettings.defaults() : training;
    }

    /** Settings without a validation or training section. */
    public PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval) {
        this(blessing, approval, null, null);
    }

    /** Settings without a training section. */
    public PipelineConfig(BlessingPolicy blessing, ApprovalPolicy approval, ValidationConfig validation) {
        this(blessing, approval, validation, null);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(null, null, null, null);
    }
}
