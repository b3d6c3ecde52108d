package dev.mlops.core.pipeline;

import java.util.List;

/**
 * Input of a training pipeline execution, written by ingest validation. It must be a pure function
 * of the dataset version (no timestamps): a duplicate S3 event then starts an execution with the
 * same name and the same input, which Step Functions treats as the same execution.
 */
public record RunRequest(String runId, String dataset, String datasetVersion, String model, String label,
                         SourceObject source, List<CandidateSpec> candidates) {

    /** The execution name for a dataset version: at most 80 characters, deterministic. */
    public static String runIdFor(String dataset, String datasetVersion) {
        return dataset + "-" + datasetVersion.substring(0, Math.min(32, datasetVersion.length()));
    }
}
