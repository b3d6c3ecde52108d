package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;

import java.util.List;

/**
 * Input of a training pipeline execution, written by ingest validation (or by a retry). It is a
 * pure function of the dataset version and its config (no timestamps): a duplicate S3 event then
 * starts an execution with the same name and the same input, which Step Functions treats as the
 * same execution.
 *
 * @param runId          the run id, also the execution name
 * @param dataset        dataset name
 * @param datasetVersion its version (sha256)
 * @param model          model to register a version of
 * @param label          label column
 * @param source         the upload, pinned
 * @param candidates     what to train
 * @param blessing       how the best candidate is judged against the champion
 * @param cause          the drift check that started it (null: an upload or a person did)
 * @param rows           the dataset version's rows (null: a request recorded before it was carried): the state
 *                       machine trains candidates in a container task from a threshold of rows (template.yaml)
 */
public record RunRequest(String runId, String dataset, String datasetVersion, String model, String label,
                         SourceObject source, List<CandidateSpec> candidates, BlessingPolicy blessing,
                         RunCause cause, Long rows) {

    /** Longest execution name Step Functions accepts. */
    public static final int MAX_RUN_ID = 80;

    public RunRequest {
        ContractException.required(runId, "run_id");
        ContractException.required(dataset, "dataset");
        ContractException.required(datasetVersion, "dataset_version");
        ContractException.required(model, "model");
        ContractException.required(label, "label");
        ContractException.required(source, "source");
        ContractException.required(candidates, "candidates");
        if (candidates.isEmpty()) {
            throw new ContractException("field \"candidates\": at least one candidate is needed");
        }
        candidates = List.copyOf(candidates);
        blessing = blessing == null ? BlessingPolicy.defaults() : blessing;
        if (runId.length() > MAX_RUN_ID) {
            throw new ContractException("field \"run_id\": at most " + MAX_RUN_ID + " characters");
        }
    }

    /** A request whose size is not known (recorded before it was carried). */
    public RunRequest(String runId, String dataset, String datasetVersion, String model, String label,
                      SourceObject source, List<CandidateSpec> candidates, BlessingPolicy blessing,
                      RunCause cause) {
        this(runId, dataset, datasetVersion, model, label, source, candidates, blessing, cause, null);
    }

    /** A request without a cause (an upload's, a person's). */
    public RunRequest(String runId, String dataset, String datasetVersion, String model, String label,
                      SourceObject source, List<CandidateSpec> candidates, BlessingPolicy blessing) {
        this(runId, dataset, datasetVersion, model, label, source, candidates, blessing, null);
    }

    /** The run id of the first attempt for a dataset version: at most 73 characters, deterministic. */
    public static String runIdFor(String dataset, String datasetVersion) {
        return dataset + "-" + datasetVersion.substring(0, Math.min(32, datasetVersion.length()));
    }

    /** The run id of attempt {@code attempt} (2, 3, ...) of the run whose first attempt is {@code firstRunId}. */
    public static String retryRunId(String firstRunId, int attempt) {
        return firstRunId + "-r" + attempt;
    }

    /** The same request under another run id (a retry). */
    public RunRequest withRunId(String id) {
        return new RunRequest(id, dataset, datasetVersion, model, label, source, candidates, blessing, cause, rows);
    }

    /** The same request, started for another reason. */
    public RunRequest withCause(RunCause why) {
        return new RunRequest(runId, dataset, datasetVersion, model, label, source, candidates, blessing, why, rows);
    }
}
