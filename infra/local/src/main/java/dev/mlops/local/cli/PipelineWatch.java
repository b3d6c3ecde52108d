package dev.mlops.local.cli;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.Layout;
import dev.mlops.local.runtime.DeliveryState;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Follows one upload (its key and S3 version id) by what is recorded about it: the upload's outcome, as soon as
 * there is one (VALID, INVALID, REJECTED, DUPLICATE, or FAILED_DELIVERY, also read from the dead-letter queue, so
 * it is seen even while DynamoDB is what failed), then, when it handed data to the pipeline, its run until it ends.
 * A run whose execution ended where no step recorded it is ended by reconciliation, so no wait is endless. When
 * the stack cannot be reached, the watch looks for a restarted {@code local up} on the same data (new ports) and
 * follows it; when none comes back within {@link #STACK_GONE}, it says so and stops waiting.
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
    /** How long the watch waits for a stopped stack to be started again before it gives up. */
    static final Duration STACK_GONE = Duration.ofSeconds(60);

    private final Session session;
    private long unreachableSince = -1;

    private PipelineWatch(Session session) {
        this.session = session;
    }

    /** A watch over the session's stack (and over the one that replaces it, when {@code local up} restarts). */
    static PipelineWatch of(Session session) {
        return new PipelineWatch(session);
    }

    /**
     * Waits for the outcome of the upload of {@code key} at {@code versionId}; then, for an upload that handed its
     * data to the pipeline (VALID, or a DUPLICATE of a run of the model it asks for that still runs), for the run.
     */
    Outcome await(String key, String versionId, String model, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        UploadOutcome upload = awaitUpload(key, versionId, deadline);
        DatasetVersion dataset = upload.datasetVersion() == null ? null
                : read(() -> session.datasets().find(upload.dataset(), upload.datasetVersion()), deadline).orElse(null);
        if (upload.status() == UploadStatus.VALID) {
            Console.progress("dataset " + upload.dataset() + " version " + upload.datasetVersion().substring(0, 12)
                    + " is valid; training pipeline running (run " + upload.runId() + ")");
            return new Outcome(upload, dataset, awaitRun(upload.runId(), deadline));
        }
        if (upload.status() == UploadStatus.DUPLICATE && upload.runId() != null) {
            Run run = read(() -> session.runs().find(upload.runId()), deadline).orElse(null);
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
                Optional<UploadOutcome> recorded = session.datasets().findUpload(key, versionId);
                reachable();
                if (recorded.isPresent() && recorded.get().status().settled()) {
                    return recorded.get();
                }
                if (recorded.isPresent() && recorded.get().attempts() > attemptsSaid) {
                    attemptsSaid = recorded.get().attempts();
                    Console.progress(recorded.get().reason());
                }
                lastProblem = null;
            } catch (TransientException e) {
                unreachable();
                if (!e.getMessage().equals(lastProblem)) {
                    Console.progress("cannot read the upload's outcome yet: " + e.getMessage());
                    lastProblem = e.getMessage();
                }
            }
            Optional<DeliveryState.DeadLetter> dead = session.deliveries().deadLetters().stream()
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
        String lastProblem = null;
        Progress search = null;
        try {
            while (true) {
                try {
                    Optional<Run> run = session.runs().find(runId);
                    reachable();
                    lastProblem = null;
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
                    unreachable();
                    if (!e.getMessage().equals(lastProblem)) {
                        Console.progress("cannot read run " + runId + " now: " + e.getMessage());
                        lastProblem = e.getMessage();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " has not ended yet (./mlops runs show " + runId
                            + ")");
                }
                if (search == null && System.nanoTime() > nextWord) {
                    Console.progress("run " + runId + " still running"
                            + (lastProblem == null ? "" : " (" + lastProblem + ")"));
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
        return (int) session.store().list(prefix, null).stream().filter(o -> o.key().endsWith("/candidate.json"))
                .count();
    }

    /** A read that a restarted stack cannot make fail: retried on the stack that runs now, until the deadline. */
    private <T> T read(Supplier<T> body, long deadline) throws InterruptedException {
        while (true) {
            try {
                T value = body.get();
                reachable();
                return value;
            } catch (TransientException e) {
                unreachable();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    private void reachable() {
        unreachableSince = -1;
    }

    /**
     * The stack did not answer: a {@code local up} restarted on the same data is followed from now on; with no stack
     * running for {@link #STACK_GONE}, the watch ends saying so (nothing can record an outcome without one).
     */
    private void unreachable() {
        if (session.followRestart()) {
            Console.progress("the local stack was restarted: following the upload on the running one");
            unreachableSince = -1;
            return;
        }
        long now = System.nanoTime();
        if (unreachableSince < 0) {
            unreachableSince = now;
        } else if (now - unreachableSince > STACK_GONE.toNanos() && !session.stackRunning()) {
            throw new IllegalStateException("the local stack stopped and has not been started again for "
                    + STACK_GONE.toSeconds() + " s: nothing can record the outcome (start it: ./mlops local up; then"
                    + " ./mlops datasets show NAME tells what became of the upload)");
        }
    }
}
