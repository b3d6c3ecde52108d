package dev.mlops.core.domain;

/** Where a pipeline run stands. Every status but {@link #RUNNING} is final. */
public enum RunStatus {
    /** The execution is under way. */
    RUNNING,
    /** A new version was registered, blessed and promoted to production. */
    SUCCEEDED,
    /** A new version was registered but did not beat the champion, which keeps serving. */
    NOT_BLESSED,
    /**
     * A new version was registered and blessed against a champion, but production moved to
     * another version before the promotion: nothing was overwritten.
     */
    CHAMPION_MOVED,
    /**
     * A new version was registered and blessed, and its model's approval policy is {@code manual}:
     * it waits as PENDING_APPROVAL for {@code models approve} (or {@code reject}); production was not moved.
     */
    PENDING_APPROVAL,
    /**
     * A new version was registered and blessed, and its model's rollout strategy is {@code shadow} or {@code canary}:
     * it went live as the challenger of a rollout beside production, which the scheduled check promotes or aborts on
     * live evidence; production was not moved.
     */
    ROLLOUT_STARTED,
    /**
     * A step failed, or the execution ended FAILED outside the state machine's Catch (the local runtime killed,
     * an uncaught {@code States.*} error): the error and cause are on the run.
     */
    FAILED,
    /** The execution was stopped ({@code StopExecution}); reconciled from the execution's end. */
    ABORTED,
    /** The execution ran longer than the state machine's {@code TimeoutSeconds}; reconciled from its end. */
    TIMED_OUT;

    public boolean ended() {
        return this != RUNNING;
    }

    /** Whether {@code ./mlops runs retry} may start a new attempt of a run in this status: it ended without a result. */
    public boolean retryable() {
        return this == FAILED || this == ABORTED || this == TIMED_OUT;
    }
}
