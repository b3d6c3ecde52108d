package dev.mlops.core.pipeline;

/** Input of the training function: one candidate of one run (an item of the state machine's Map). */
public record TrainingTask(String runId, String dataset, String datasetVersion, String model, String label,
                           SourceObject source, CandidateSpec candidate, int candidateIndex) {
}
