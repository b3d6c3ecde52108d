package dev.mlops.core.pipeline;

import dev.mlops.core.data.ValidationConfig;

/**
 * A dataset's pipeline settings, read from {@code schemas/<dataset>/config.json} when it exists
 * (defaults otherwise) and copied into every run's request, so a run is reproducible from its
 * request alone. Unknown fields are errors naming the field.
 *
 * @param blessing   how challengers are judged
 * @param validation how strict ingest validation is (missing markers, thresholds, severity per anomaly kind)
 */
public record PipelineConfig(BlessingPolicy blessing, ValidationConfig validation) {

    public PipelineConfig {
        blessing = blessing == null ? BlessingPolicy.defaults() : blessing;
        validation = validation == null ? ValidationConfig.defaults() : validation;
    }

    /** Settings with only a blessing policy. */
    public PipelineConfig(BlessingPolicy blessing) {
        this(blessing, null);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(null, null);
    }
}
