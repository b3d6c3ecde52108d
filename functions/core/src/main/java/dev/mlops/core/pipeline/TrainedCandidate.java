package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;

/**
 * Output of the training function: where the candidate's artifacts are and how well it did on its
 * validation rows (selection) and test rows (the model card). The registry trusts none of it
 * blindly: the artifact is read back and its sha256 checked before a version is registered.
 *
 * <p>A candidate whose family cannot run in the function (XGBoost without its native library) is
 * {@link #SKIPPED} with the reason: no artifact, never selected, listed on the leaderboard.
 *
 * @param candidateIndex     position in the run's candidates
 * @param candidate          what was trained
 * @param artifactKey        the Tribuo protobuf model (null when skipped)
 * @param sha256             its sha256 (null when skipped)
 * @param modelClass         the model class in the protobuf (null when skipped)
 * @param signatureKey       the signature (null when skipped)
 * @param metricsKey         the metrics: validation and test (null when skipped)
 * @param provenanceKey      Tribuo's provenance (null when skipped)
 * @param accuracy           test accuracy
 * @param macroF1            test macro-F1
 * @param trainRows          rows trained on
 * @param testRows           rows scored
 * @param status             {@link #TRAINED} (default) or {@link #SKIPPED}
 * @param reason             why it was skipped
 * @param selectionScore     the validation score on the candidate's selection metric (null: no validation rows)
 * @param validationAccuracy validation accuracy (null: no validation rows)
 * @param validationMacroF1  validation macro-F1 (null: no validation rows)
 * @param validationLogLoss  validation log-loss (null: no validation rows, or scores that are not probabilities)
 * @param fitMillis          wall time of fitting
 * @param recordKey          the experiment-tracking record of the candidate ({@code candidate.json})
 */
public record TrainedCandidate(@JsonProperty(required = true) int candidateIndex, CandidateSpec candidate,
                               String artifactKey, String sha256, String modelClass, String signatureKey,
                               String metricsKey, String provenanceKey,
                               @JsonProperty(required = true) double accuracy,
                               @JsonProperty(required = true) double macroF1,
                               @JsonProperty(required = true) int trainRows,
                               @JsonProperty(required = true) int testRows,
                               String status, String reason, Double selectionScore, Double validationAccuracy,
                               Double validationMacroF1, Double validationLogLoss, Long fitMillis,
                               String recordKey) {

    public static final String TRAINED = "TRAINED";
    public static final String SKIPPED = "SKIPPED";

    public TrainedCandidate {
        ContractException.required(candidate, "candidate");
        status = status == null ? TRAINED : status;
        if (TRAINED.equals(status)) {
            ContractException.required(artifactKey, "artifact_key");
            ContractException.required(sha256, "sha256");
            ContractException.required(modelClass, "model_class");
            ContractException.required(signatureKey, "signature_key");
            ContractException.required(metricsKey, "metrics_key");
            ContractException.required(provenanceKey, "provenance_key");
        } else if (SKIPPED.equals(status)) {
            ContractException.required(reason, "reason");
        } else {
            throw new ContractException("field \"status\": expected TRAINED or SKIPPED, got \"" + status + "\"");
        }
    }

    /** A trained candidate scored on test rows only (no validation record). */
    public TrainedCandidate(int candidateIndex, CandidateSpec candidate, String artifactKey, String sha256,
                            String modelClass, String signatureKey, String metricsKey, String provenanceKey,
                            double accuracy, double macroF1, int trainRows, int testRows) {
        this(candidateIndex, candidate, artifactKey, sha256, modelClass, signatureKey, metricsKey, provenanceKey,
                accuracy, macroF1, trainRows, testRows, TRAINED, null, null, null, null, null, null, null);
    }

    /** A candidate that could not run here, with the reason. */
    public static TrainedCandidate skipped(int candidateIndex, CandidateSpec candidate, String reason,
                                           String recordKey) {
        return new TrainedCandidate(candidateIndex, candidate, null, null, null, null, null, null, 0, 0, 0, 0,
                SKIPPED, reason, null, null, null, null, null, recordKey);
    }

    /** Whether it has an artifact that can be registered. */
    public boolean trained() {
        return TRAINED.equals(status);
    }
}
