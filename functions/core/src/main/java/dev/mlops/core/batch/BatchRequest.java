package dev.mlops.core.batch;

import dev.mlops.core.Layout;
import dev.mlops.core.errors.ContractException;

import java.util.Map;
import java.util.Optional;

/**
 * What starts a batch job (the state machine's input): score the CSV at {@code inputKey} with {@code model}.
 *
 * @param model        the model
 * @param job          the job's name (unique per model)
 * @param inputKey     the CSV in the data bucket (a header, then one row per line)
 * @param inputVersion the object's version (null: the latest, pinned at planning)
 * @param version      the model version to use (null: production when the job is planned)
 * @param partBytes    bytes per part (null: the function's {@link BatchScoring.Settings#partBytes()})
 * @param explain      how many contributions each scored row carries, largest first (null: none)
 */
public record BatchRequest(String model, String job, String inputKey, String inputVersion, Integer version,
                           Long partBytes, Integer explain) {

    public BatchRequest {
        ContractException.required(model, "model");
        ContractException.required(job, "job");
        ContractException.required(inputKey, "input_key");
        if (explain != null && explain < 1) {
            throw new ContractException("explain must be at least 1 (contributions per row), not " + explain);
        }
    }

    /** Object metadata of an upload that pins the model version ({@code x-amz-meta-model-version}). */
    public static final String MODEL_VERSION = "model-version";
    /** Object metadata of an upload that sets the bytes per part ({@code x-amz-meta-part-bytes}). */
    public static final String PART_BYTES = "part-bytes";
    /** Object metadata of an upload that asks for each row's top contributions ({@code x-amz-meta-explain}). */
    public static final String EXPLAIN = "explain";

    /**
     * The job an upload under {@code batch/<model>/<job>.csv} asks for (empty for other keys: a job's outputs),
     * with the model version, part size and contributions per row its metadata may give.
     *
     * @throws ContractException for metadata that is not a number
     */
    public static Optional<BatchRequest> forUpload(String key, String versionId, Map<String, String> metadata) {
        return Layout.parseBatchInput(key).map(in -> new BatchRequest(in.model(), in.job(), key, versionId,
                number(metadata, MODEL_VERSION) == null ? null : Math.toIntExact(number(metadata, MODEL_VERSION)),
                number(metadata, PART_BYTES),
                number(metadata, EXPLAIN) == null ? null : Math.toIntExact(number(metadata, EXPLAIN))));
    }

    private static Long number(Map<String, String> metadata, String name) {
        String value = metadata.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ContractException("metadata " + name + " must be a whole number, not \"" + value + "\"");
        }
    }
}
