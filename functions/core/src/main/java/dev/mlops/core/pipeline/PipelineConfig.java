package dev.mlops.core.pipeline;

/**
 * A dataset's pipeline settings, read from {@code schemas/<dataset>/config.json} when it exists
 * (defaults otherwise) and copied into every run's request, so a run is reproducible from its
 * request alone. Unknown fields are errors naming the field.
 *
 * @param blessing how challengers are judged
 * @param training which candidates a run trains and how the best is chosen
 */
public record PipelineConfig(BlessingPolicy blessing, TrainingSettings training) {

    public PipelineConfig {
        blessing = blessing == null ? BlessingPolicy.defaults() : blessing;
        training = training == null ? TrainingSettings.defaults() : training;
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(null, null);
    }
}
