package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;

/**
 * Input of the training function: one candidate of one run (an item of the state machine's Map).
 *
 * @param runId          the run
 * @param dataset        dataset name
 * @param datasetVersion its version
 * @param model          model name
 * @param label          label column
 * @param source         the upload, pinned
 * @param candidate      what to train
 * @param candidateIndex its position in the run's candidates
 */
public record TrainingTask(String runId, String dataset, String datasetVersion, String model, String label,
                           SourceObject source, CandidateSpec candidate,
                           @JsonProperty(required = true) int candidateIndex) {

    public TrainingTask {
        ContractException.required(runId, "run_id");
        ContractException.required(dataset, "dataset");
        ContractException.required(datasetVersion, "dataset_version");
        ContractException.required(model, "model");
        ContractException.required(label, "label");
        ContractException.required(source, "source");
        ContractException.required(candidate, "candidate");
    }
}
