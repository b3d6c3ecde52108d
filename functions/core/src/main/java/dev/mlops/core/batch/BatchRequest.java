package dev.mlops.core.batch;

import dev.mlops.core.errors.ContractException;

/**
 * What starts a batch job (the state machine's input): score the CSV at {@code inputKey} with {@code model}.
 *
 * @param model        the model
 * @param job          the job's name (unique per model)
 * @param inputKey     the CSV in the data bucket (a header, then one row per line)
 * @param inputVersion the object's version (null: the latest, pinned at planning)
 * @param version      the model version to use (null: production when the job is planned)
 * @param partBytes    bytes per part (null: {@link BatchScoring#DEFAULT_PART_BYTES})
 * @param capture      whether the scored rows go to capture, so the drift check sees batch traffic
 */
public record BatchRequest(String model, String job, String inputKey, String inputVersion, Integer version,
                           Long partBytes, Boolean capture) {

    public BatchRequest {
        ContractException.required(model, "model");
        ContractException.required(job, "job");
        ContractException.required(inputKey, "input_key");
    }
}
