package dev.mlops.core.batch;

import dev.mlops.core.errors.ContractException;

import java.util.List;

/**
 * A planned job (the planner step's output, and what every part is given): the input pinned by version, the
 * model version pinned, the header, and the parts (their byte ranges are in the JSON array at {@code partsKey}).
 *
 * @param model        the model
 * @param job          the job
 * @param inputKey     the input CSV
 * @param inputVersion its version, pinned
 * @param inputBytes   its size
 * @param version      the model version every part scores with
 * @param header       the input's columns
 * @param headerLast   the last byte of the header line
 * @param parts        how many parts
 * @param partsKey     the JSON array of parts the Distributed Map reads
 * @param maxConcurrency parts scored at once (the Distributed Map's MaxConcurrencyPath)
 * @param explain      contributions each scored row carries, largest first (null: none)
 * @param startedAt    when the job was planned (epoch millis)
 * @param planMillis   how long planning took
 */
public record BatchPlan(String model, String job, String inputKey, String inputVersion, long inputBytes, int version,
                        List<String> header, long headerLast, int parts, String partsKey, int maxConcurrency,
                        Integer explain, long startedAt, long planMillis) {

    public BatchPlan {
        ContractException.required(model, "model");
        ContractException.required(job, "job");
        ContractException.required(inputKey, "input_key");
        ContractException.required(header, "header");
        ContractException.required(partsKey, "parts_key");
        header = List.copyOf(header);
    }
}
