package dev.mlops.core.registry;

import dev.mlops.core.Names;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.PipelineLauncher.Execution;
import dev.mlops.core.ports.PipelineLauncher.ExecutionStatus;
import dev.mlops.core.ports.RunLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends the runs whose execution ended where no step of the pipeline could record it: stopped
 * ({@code StopExecution}: ABORTED), over the state machine's {@code TimeoutSeconds} (TIMED_OUT), failed outside
 * every Catch (a {@code States.*} error, the recording step itself failing, the local runtime killed: FAILED).
 * Each such run is ended with the execution's status, error and cause, so no run stays RUNNING without a live
 * execution, and {@code ./mlops runs retry} can start it again.
 *
 * <p>Two ways in, one rule: the execution's status change event (EventBridge, as it happens) and a sweep over
 * the RUNNING runs that asks Step Functions about each execution (the local runtime at start-up; anyone, any
 * time). Like {@code record_failure}, it ends only a RUNNING run, so a replayed event never rewrites a run.
 */
public final class RunReconciler {

    /** The error name of a run whose execution was never started (the ingest step stopped between the two). */
    public static final String NEVER_STARTED = "mlops.ExecutionNeverStarted";

    /** A sweep leaves a run without an execution alone this long: its ingestion may be about to start it. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);

    /**
     * An execution that ended, as its status change event says.
     *
     * @param runId       the execution's name, which is the run id
     * @param executionId the execution's ARN (checked against the run's, so another machine's event changes nothing)
     * @param status      how it ended
     * @param error       its error, when the event carries one (else it is described)
     * @param cause       its cause, idem
     */
    public record ExecutionEnded(String runId, String executionId, ExecutionStatus status, String error, String cause) {
    }

    /**
     * What reconciling one run did.
     *
     * @param runId  the run
     * @param ended  whether this call ended it
     * @param status the run's status afterwards (null when there is no such run)
     * @param reason a sentence for people
     */
    public record Reconciled(String runId, boolean ended, RunStatus status, String reason) {
    }

    /** What a sweep found: how many RUNNING runs it checked, and what it did to each. */
    public record Sweep(int checked, List<Reconciled> runs) {
    }

    private final RunLog runs;
    private final PipelineLauncher launcher;
    private final ModelRegistry registry;
    private final Clock clock;

    public RunReconciler(RunLog runs, PipelineLauncher launcher, ModelRegistry registry, Clock clock) {
        this.runs = runs;
        this.launcher = launcher;
        this.registry = registry;
        this.clock = clock;
    }

    /** Ends the run of an execution that ended, if the run is still RUNNING. */
    public Reconciled executionEnded(ExecutionEnded event) {
        Optional<Run> found = runs.find(event.runId());
        if (found.isEmpty()) {
            return new Reconciled(event.runId(), false, null, "there is no run " + event.runId() + ": nothing to do");
        }
        Run run = found.get();
        if (event.executionId() != null && run.executionId() != null && !event.executionId().equals(run.executionId())) {
            return new Reconciled(run.runId(), false, run.status(), "execution " + event.executionId()
                    + " is not the execution of run " + run.runId() + " (" + run.executionId() + "): nothing to do");
        }
        if (!event.status().ended()) {
            return new Reconciled(run.runId(), false, run.status(), "its execution is " + event.status());
        }
        if (run.status() != RunStatus.RUNNING) {
            return new Reconciled(run.runId(), false, run.status(), "run " + run.runId() + " already ended "
                    + run.status());
        }
        String error = event.error();
        String cause = event.cause();
        if (error == null && cause == null && event.status() != ExecutionStatus.SUCCEEDED) {
            // Not every status change event carries them; DescribeExecution does.
            Optional<Execution> described = launcher.describe(run.executionId());
            if (described.isPresent()) {
                error = described.get().error();
                cause = described.get().cause();
            }
        }
        return end(run, event.status(), error, cause);
    }

    /**
     * Checks every RUNNING run against its execution and ends those whose execution ended, or was never started
     * and the run is older than {@code grace}.
     */
    public Sweep sweep(Duration grace) {
        List<Run> running = runs.running();
        List<Reconciled> out = new ArrayList<>();
        Instant cutoff = clock.instant().minus(grace);
        for (Run run : running) {
            Optional<Execution> execution = launcher.describe(run.executionId());
            if (execution.isPresent()) {
                if (execution.get().status().ended()) {
                    out.add(end(run, execution.get().status(), execution.get().error(), execution.get().cause()));
                }
            } else if (run.startedAt().isBefore(cutoff)) {
                String cause = "run " + run.runId() + " was recorded at " + run.startedAt()
                        + " but its execution " + run.executionId() + " was never started (the ingest step stopped"
                        + " between recording the run and starting it, and was not delivered again)";
                out.add(endAs(run, RunStatus.FAILED, "its execution was never started", NEVER_STARTED, cause));
            }
        }
        return new Sweep(running.size(), out);
    }

    /** The run as it stands once reconciled against its execution (unchanged when the execution still runs). */
    public Run reconcile(Run run) {
        if (run.status() != RunStatus.RUNNING) {
            return run;
        }
        Optional<Execution> execution = launcher.describe(run.executionId());
        if (execution.isPresent() && execution.get().status().ended()) {
            end(run, execution.get().status(), execution.get().error(), execution.get().cause());
            return runs.find(run.runId()).orElse(run);
        }
        return run;
    }

    private Reconciled end(Run run, ExecutionStatus execution, String error, String cause) {
        RunStatus status = switch (execution) {
            case ABORTED -> RunStatus.ABORTED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            default -> RunStatus.FAILED;
        };
        String reason = execution == ExecutionStatus.SUCCEEDED
                ? "its execution SUCCEEDED without a step ending the run"
                : "its execution ended " + execution + " outside the pipeline's steps";
        String named = switch (execution) {
            case ABORTED -> "ExecutionAborted";
            case TIMED_OUT -> "States.Timeout";
            default -> "States.Runtime";
        };
        return endAs(run, status, reason, error != null ? error : named, cause == null ? "" : cause);
    }

    private Reconciled endAs(Run run, RunStatus status, String why, String error, String cause) {
        String reason = why + " (reconciled); ./mlops runs retry " + run.runId() + " starts it again";
        boolean ended = runs.end(run.runId(), RunEnding.executionEnded(status, reason, error, cause));
        if (!ended) {
            RunStatus now = runs.find(run.runId()).map(Run::status).orElse(null);
            return new Reconciled(run.runId(), false, now, "run " + run.runId() + " ended " + now
                    + " meanwhile: nothing to do");
        }
        if (run.model() != null && Names.isValid(run.model())) {
            registry.audit(AuditEntry.runEnded(run.model(), clock.instant(), status, run.runId(),
                    error + ": " + firstLine(cause)));
        }
        return new Reconciled(run.runId(), true, status, reason);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
