package dev.mlops.core.ports;

import dev.mlops.core.domain.BatchJob;

import java.util.List;
import java.util.Optional;

/** The record of each batch scoring job (BatchJobsTable: pk model, sk job). */
public interface BatchJobs {

    /** Writes the job's record as it stands now (a later write of the same job replaces it). */
    void record(BatchJob job);

    Optional<BatchJob> find(String model, String job);

    /** The jobs of one model ({@code model} null: of every model), newest first, at most {@code limit}. */
    List<BatchJob> list(String model, int limit);
}
