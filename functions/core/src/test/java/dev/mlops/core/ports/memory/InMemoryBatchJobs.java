package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.ports.BatchJobs;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link BatchJobs} in memory. */
public final class InMemoryBatchJobs implements BatchJobs {

    private final Map<String, BatchJob> jobs = new LinkedHashMap<>();

    @Override
    public synchronized void record(BatchJob job) {
        jobs.put(job.model() + "/" + job.job(), job);
    }

    @Override
    public synchronized Optional<BatchJob> find(String model, String job) {
        return Optional.ofNullable(jobs.get(model + "/" + job));
    }

    @Override
    public synchronized List<BatchJob> list(String model, int limit) {
        return jobs.values().stream().filter(j -> model == null || j.model().equals(model))
                .sorted(Comparator.comparing(BatchJob::startedAt).reversed()).limit(limit).toList();
    }
}
