package dev.mlops.core.pipeline;

import dev.mlops.core.data.Anomaly;
import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.errors.ContractException;

import java.util.Map;

/**
 * An upload too large to validate in one invocation, planned as parts (the validation state machine's input, and
 * what every part and the merge are given): the object pinned by version, the rules it is checked against, and
 * where its parts are.
 *
 * @param dataset        the dataset
 * @param key            the upload
 * @param versionId      its S3 version, pinned when it was planned
 * @param bytes          its size
 * @param model          the model it trains
 * @param metadata       its object metadata (label, task, the drift check that wrote it)
 * @param settled        the header and the schema every part is checked against, settled from the start of the
 *                       file as one pass settles it: the dataset's accepted schema, or on a first upload the one
 *                       inferred from the header and the first rows
 * @param mismatch       an error settled before any row was read (the upload names another task than the
 *                       dataset's), reported with the rows' anomalies
 * @param config         the dataset's settings, as read when it was planned
 * @param id             the upload's id (a hash of its key and version): where its parts are
 * @param headerLast     the last byte of the header line
 * @param headerSha256   SHA-256 of the header line (its bytes up to and with its line break)
 * @param parts          how many parts
 * @param partsKey       the JSON array of parts the validation map reads
 * @param maxConcurrency parts scanned at once (the map's MaxConcurrencyPath)
 * @param plannedAt      when it was planned (epoch millis)
 */
public record PartedUpload(String dataset, String key, String versionId, long bytes, String model,
                           Map<String, String> metadata, DatasetScanner.Settled settled, Anomaly mismatch,
                           PipelineConfig config, String id, long headerLast, String headerSha256, int parts,
                           String partsKey, int maxConcurrency, long plannedAt) {

    public PartedUpload {
        ContractException.required(dataset, "dataset");
        ContractException.required(key, "key");
        ContractException.required(model, "model");
        ContractException.required(settled, "settled");
        ContractException.required(config, "config");
        ContractException.required(id, "id");
        ContractException.required(headerSha256, "header_sha256");
        ContractException.required(partsKey, "parts_key");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Where the schema came from: {@code accepted} or {@code inferred}, as a single-pass report says it. */
    public String schemaSource() {
        return settled.inferred() ? "inferred" : "accepted";
    }
}
