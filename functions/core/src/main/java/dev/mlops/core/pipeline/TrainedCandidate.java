package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;

/**
 * Output of the training function: where the candidate's artifacts are and how well it did on its
 * test rows. The registry trusts none of it blindly: the artifact is read back and its sha256
 * checked before a version is registered.
 *
 * @param candidateIndex position in the run's candidates
 * @param candidate      what was trained
 * @param artifactKey    the Tribuo protobuf model
 * @param sha256         its sha256
 * @param modelClass     the model class in the protobuf
 * @param signatureKey   the signature
 * @param metricsKey     the metrics
 * @param provenanceKey  Tribuo's provenance
 * @param accuracy       test accuracy
 * @param macroF1        test macro-F1
 * @param trainRows      rows trained on
 * @param testRows       rows scored
 */
public record TrainedCandidate(@JsonProperty(required = true) int candidateIndex, CandidateSpec candidate,
                               String artifactKey, String sha256, String modelClass, String signatureKey,
                               String metricsKey, String provenanceKey,
                               @JsonProperty(required = true) double accuracy,
                               @JsonProperty(required = true) double macroF1,
                               @JsonProperty(required = true) int trainRows,
                               @JsonProperty(required = true) int testRows) {

    public TrainedCandidate {
        ContractException.required(candidate, "candidate");
        ContractException.required(artifactKey, "artifact_key");
        ContractException.required(sha256, "sha256");
        ContractException.required(modelClass, "model_class");
        ContractException.required(signatureKey, "signature_key");
        ContractException.required(metricsKey, "metrics_key");
        ContractException.required(provenanceKey, "provenance_key");
    }
}
