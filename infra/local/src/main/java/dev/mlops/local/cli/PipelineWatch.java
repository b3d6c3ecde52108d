package dev.mlops.local.cli;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.Layout;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.local.runtime.DeliveryState;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows one upload (its key and S3 version id) by what is recorded about it: the upload's outcome, as soon as
 * there is one (VALID, INVALID, REJECTED, DUPLICATE, or FAILED_DELIVERY, also read from the dead-letter queue, so
 * it is seen even while DynamoDB is what failed), then, when it handed data to the pipeline, its run until it ends.
 * A run whose execution ended where no step recorded it is ended by reconciliation, so no wait is endless.
 * While the run trains, its search's progress is shown: candidates whose tracking record is written, of those the
 * run asked for.
 */
final class PipelineWatch {

    /**
     * How far the upload got: its outcome, the dataset version it made (when read), the run it started or
     * duplicates (when there is one; ended, unless the watch timed out).
     */
    record Outcome(UploadOutcome upload, DatasetVersion dataset, Run run) {
    }

    private static final long POLL_MILLIS = 200;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Duration COUNT_EVERY = Duration.ofSeconds(1);

    private final DatasetCatalog datasets;
    private final RunLog runs;
    private final DeliveryState deliveries;
    private final ObjectStore store;

    PipelineWatch(DatasetCatalog datasets, RunLog runs, DeliveryState deliveries, ObjectStore store) {
        this.datasets = datasets;
        this.runs = runs;
        this.deliveries = deliveries;
        this.store = store;
    }

    /** A watch over the session's stack. */
    static PipelineWatch of(Session session) {
        return new PipelineWatch(session.datasets(), session.runs(), session.deliveries(), session.store());
    }

    /**
     * Waits for the outcome of the upload of {@code key} at {@code versionId}; then, for an upload that handed its
     * data to the pipeline (VALID, or a DUPLICATE of a run of the model it asks for that still runs), for the run.
     */
    Outcome await(String key, String versionId, String model, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        UploadOutcome upload = awaitUpload(key, versionId, deadline);
        DatasetVersion dataset = upload.datasetVersion() == null ? null
                : datasets.find(upload.dataset(), upload.datasetVersion()).orElse(null);
        if (upload.status() == UploadStatus.VALID) {
            Console.progress("dataset " + upload.dataset() + " version " + upload.datasetVersion().substring(0, 12)
                    + " is valid; training pipeline running (run " + upload.runId() + ")");
            return new Outcome(upload, dataset, awaitRun(upload.runId(), deadline));
        }
        if (upload.status() == UploadStatus.DUPLICATE && upload.runId() != null) {
            Run run = runs.find(upload.runId()).orElse(null);
            if (run != null && run.status() == RunStatus.RUNNING && Objects.equals(run.model(), model)) {
                Console.progress("these bytes were handed to the pipeline before: following run " + run.runId());
                run = awaitRun(run.runId(), deadline);
            }
            return new Outcome(upload, dataset, run);
        }
        return new Outcome(upload, dataset, null);
    }

    private UploadOutcome awaitUpload(String key, String versionId, long deadline) throws InterruptedException {
        long nextWord = System.nanoTime() + PROGRESS_EVERY.toNanos();
        int attemptsSaid = 0;
        String lastProblem = null;
        while (true) {
            try {
                Optional<UploadOutcome> recorded = datasets.findUpload(key, versionId);
                if (recorded.isPresent() && recorded.get().status().settled()) {
                    return recorded.get();
                }
                if (recorded.isPresent() && recorded.get().attempts() > attemptsSaid) {
                    attemptsSaid = recorded.get().attempts();
                    Console.progress(recorded.get().reason());
                }
                lastProblem = null;
            } catch (TransientException e) {
                if (!e.getMessage().equals(lastProblem)) {
                    Console.progress("cannot read the upload's outcome yet: " + e.getMessage());
                    lastProblem = e.getMessage();
                }
            }
            Optional<DeliveryState.DeadLetter> dead = deliveries.deadLetters().stream()
                    .filter(d -> d.key().equals(key) && Objects.equals(d.versionId(), versionId)).findFirst();
            if (dead.isPresent()) {
                return IngestionService.failedDelivery(key, versionId, dead.get().attempts(), dead.get().error(),
                        dead.get().at());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no outcome was recorded for " + key + " (version " + versionId
                        + "): nothing delivered it to the ingest function (is the stack running? ./mlops local up)");
            }
            if (System.nanoTime() > nextWord) {
                Console.progress("still waiting for the outcome of " + key + ": nothing recorded yet"
                        + (lastProblem == null ? "" : " (" + lastProblem + ")"));
                nextWord = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private Run awaitRun(String runId, long deadline) throws InterruptedException {
        long nextWord = System.nanoTime() + PROGRESS_EVERY.toNanos();
        long nextCount = System.nanoTime();
        Progress search = null;
        try {
            while (true) {
                try {
                    Optional<Run> run = runs.find(runId);
                    if (run.isPresent() && run.get().status().ended()) {
                        if (search != null) {
                            search.stepTo(trained(run.get()));
                        }
                        return run.get();
                    }
                    if (run.isPresent() && run.get().request() != null && System.nanoTime() > nextCount) {
                        if (search == null) {
                            search = Progress.count("run " + runId + ": training search",
                                    run.get().request().candidates().size(), "candidates");
                        }
                        search.stepTo(trained(run.get()));
                        nextCount = System.nanoTime() + COUNT_EVERY.toNanos();
                    }
                } catch (TransientException e) {
                    // said below, at the next progress line
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " has not ended yet (./mlops runs show " + runId
                            + ")");
                }
                if (search == null && System.nanoTime() > nextWord) {
                    Console.progress("run " + runId + " still running");
                    nextWord = System.nanoTime() + PROGRESS_EVERY.toNanos();
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            if (search != null) {
                search.close();
            }
        }
    }

    /** The run's candidates that have written their tracking record (trained, skipped or failed). */
    private int trained(Run run) {
        String prefix = Layout.runPrefix(run.model(), run.runId());
        return (int) store.list(prefix, null).stream().filter(o -> o.key().endsWith("/candidate.json")).count();
    }
}
