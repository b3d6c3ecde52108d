package dev.mlops.local.cli;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.pipeline.RunRequest;

import java.time.Duration;
import java.util.Optional;

/**
 * Follows an upload through the pipeline by what the functions record: the dataset version
 * (validation outcome), then the run (its ending). The dataset version is the upload's sha256,
 * so the watcher knows what to look for before anything happens.
 */
final class PipelineWatch {

    /** How the pipeline ended for an upload. {@code run} is null when validation rejected the data. */
    record Outcome(DatasetVersion dataset, Run run) {
    }

    private final DatasetCatalog datasets;
    private final RunLog runs;

    PipelineWatch(DatasetCatalog datasets, RunLog runs) {
        this.datasets = datasets;
        this.runs = runs;
    }

    Outcome await(String dataset, String version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        DatasetVersion recorded = poll(() -> datasets.find(dataset, version), deadline,
                "ingest validation of " + dataset + "/" + version);
        if (!recorded.valid()) {
            return new Outcome(recorded, null);
        }
        Console.progress("dataset " + dataset + " version " + version.substring(0, 12) + " is valid; training pipeline running");
        String runId = RunRequest.runIdFor(dataset, version);
        Run run = poll(() -> runs.find(runId).filter(r -> r.status().ended()), deadline, "pipeline run " + runId);
        return new Outcome(recorded, run);
    }

    private static <T> T poll(java.util.function.Supplier<Optional<T>> probe, long deadline, String what)
            throws InterruptedException {
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
