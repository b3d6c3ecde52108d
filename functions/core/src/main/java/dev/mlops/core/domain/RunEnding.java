package dev.mlops.core.domain;

import java.util.Objects;

/**
 * How a run ends; fields that do not apply are null.
 *
 * @param status            the final status (never {@link RunStatus#RUNNING})
 * @param version           the version the run registered
 * @param productionVersion the production version when the run ended
 * @param reason            a sentence for people: the verdict, or why production was not moved
 * @param error             the error name (FAILED)
 * @param cause             the error's cause, at most {@value #MAX_CAUSE} characters (FAILED)
 */
public record RunEnding(RunStatus status, Integer version, Integer productionVersion, String reason, String error,
                        String cause) {

    /** Longest cause kept: a stack of wrapped messages is cut, the record stays small. */
    public static final int MAX_CAUSE = 4000;

    public RunEnding {
        Objects.requireNonNull(status, "status");
        if (!status.ended()) {
            throw new IllegalArgumentException("a run cannot end as " + status);
        }
        if (cause != null && cause.length() > MAX_CAUSE) {
            cause = cause.substring(0, MAX_CAUSE);
        }
    }

    public static RunEnding promoted(int version) {
        return new RunEnding(RunStatus.SUCCEEDED, version, version, null, null, null);
    }

    public static RunEnding notBlessed(int version, Integer production, String reason) {
        return new RunEnding(RunStatus.NOT_BLESSED, version, production, reason, null, null);
    }

    public static RunEnding championMoved(int version, Integer production, String reason) {
        return new RunEnding(RunStatus.CHAMPION_MOVED, version, production, reason, null, null);
    }

    public static RunEnding pendingApproval(int version, Integer production, String reason) {
        return new RunEnding(RunStatus.PENDING_APPROVAL, version, production, reason, null, null);
    }

    public static RunEnding rolloutStarted(int version, Integer production, String reason) {
        return new RunEnding(RunStatus.ROLLOUT_STARTED, version, production, reason, null, null);
    }

    public static RunEnding failed(String error, String cause) {
        return new RunEnding(RunStatus.FAILED, null, null, null, error, cause);
    }

    /**
     * A run whose execution ended outside the pipeline's own steps (stopped, timed out, failed where no Catch
     * records it, its process killed), as reconciliation found it.
     */
    public static RunEnding executionEnded(RunStatus status, String reason, String error, String cause) {
        return new RunEnding(status, null, null, reason, error, cause);
    }
}
