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
 * @param collect        true: the candidate was trained by a container task (the state machine's path for big
 *                       datasets), so its record is read back instead of training it again (null: false)
 */
public record TrainingTask(String runId, String dataset, String datasetVersion, String model, String label,
                           SourceObject source, CandidateSpec candidate,
                           @JsonProperty(required = true) int candidateIndex, Boolean collect) {

    public TrainingTask {
        ContractException.required(runId, "run_id");
        ContractException.required(dataset, "dataset");
        ContractException.required(datasetVersion, "dataset_version");
        ContractException.required(model, "model");
        ContractException.required(label, "label");
        ContractException.required(source, "source");
        ContractException.required(candidate, "candidate");
    }

    /** A candidate to train here. */
    public TrainingTask(String runId, String dataset, String datasetVersion, String model, String label,
                        SourceObject source, CandidateSpec candidate, int candidateIndex) {
        this(runId, dataset, datasetVersion, model, label, source, candidate, candidateIndex, null);
    }
}
