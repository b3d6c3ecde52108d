package dev.mlops.core.ports;

import dev.mlops.core.pipeline.RunRequest;

import java.time.Instant;
import java.util.Optional;

/** Starts training pipeline executions, named by their run id. */
public interface PipelineLauncher {

    /**
     * The execution, and whether this call started it or found an execution of that name
     * (a duplicate event, or a name already used).
     */
    record Launch(String executionId, boolean alreadyStarted) {
    }

    /** Where an execution stands, with Step Functions' names. */
    enum ExecutionStatus {
        RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE;

        /** Whether the execution is over (a PENDING_REDRIVE execution may still run again). */
        public boolean ended() {
            return this != RUNNING && this != PENDING_REDRIVE;
        }
    }

    /**
     * An execution as Step Functions describes it.
     *
     * @param executionId its ARN
     * @param status      where it stands
     * @param error       the error it ended with (FAILED, TIMED_OUT, sometimes ABORTED), else null
     * @param cause       the error's cause, else null
     * @param stoppedAt   when it ended, null while it runs
     */
    record Execution(String executionId, ExecutionStatus status, String error, String cause, Instant stoppedAt) {
    }

    /** The id the execution of a run has (whether or not it was started). */
    String executionIdFor(String runId);

    /** Starts the execution named {@code request.runId()}; idempotent per name. */
    Launch start(RunRequest request);

    /** The execution {@code executionId}, or empty when there is none (it was never started). */
    Optional<Execution> describe(String executionId);
}
