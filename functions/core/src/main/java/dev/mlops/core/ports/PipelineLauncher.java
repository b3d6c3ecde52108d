package dev.mlops.core.ports;

import dev.mlops.core.pipeline.RunRequest;

/** Starts training pipeline executions, named by their run id. */
public interface PipelineLauncher {

    /**
     * The execution, and whether this call started it or found an execution of that name
     * (a duplicate event, or a name already used).
     */
    record Launch(String executionId, boolean alreadyStarted) {
    }

    /** The id the execution of a run has (whether or not it was started). */
    String executionIdFor(String runId);

    /** Starts the execution named {@code request.runId()}; idempotent per name. */
    Launch start(RunRequest request);
}
