package dev.mlops.core.pipeline;

/** Output of the training function: where the candidate's artifacts are and how well it did on its test rows. */
public record TrainedCandidate(int candidateIndex, CandidateSpec candidate, String artifactKey, String sha256,
                               String modelClass, String signatureKey, String metricsKey, String provenanceKey,
                               double accuracy, double macroF1, int trainRows, int testRows) {
}
