package dev.mlops.core.batch;

import dev.mlops.core.data.CsvParts;
import dev.mlops.core.errors.ContractException;

/**
 * One item of the batch state machine's Distributed Map: a part of a planned job.
 *
 * @param plan the job's plan
 * @param part the part's byte range
 */
public record PartTask(BatchPlan plan, CsvParts.Part part) {

    public PartTask {
        ContractException.required(plan, "plan");
        ContractException.required(part, "part");
    }
}
