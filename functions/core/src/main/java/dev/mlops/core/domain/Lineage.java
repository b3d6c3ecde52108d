package dev.mlops.core.domain;

import dev.mlops.core.pipeline.SourceObject;

/**
 * What a model version was made from.
 *
 * @param runId          the pipeline run that trained it
 * @param dataset        the dataset
 * @param datasetVersion the dataset version (sha256 of the upload)
 * @param source         the upload, pinned by S3 version id and sha256
 * @param label          the label column
 * @param profileKey     the dataset version's profile: the drift baseline
 */
public record Lineage(String runId, String dataset, String datasetVersion, SourceObject source, String label,
                      String profileKey) {
}
