package dev.mlops.core.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an audit entry records, by the name stored in the trail ({@link #id()}): every action the pipeline, the
 * reconciliation, the drift check and people take on a model's versions, its production alias and its rollouts.
 * A rollout's entries go from production to the challenger; its promotion is a {@link #PROMOTE}.
 */
public enum AuditAction {
    /** A run registered a version (blessed or not). */
    REGISTER("register"),
    /** A blessed version waits for a person under the manual approval policy. */
    APPROVAL_REQUESTED("approval_requested"),
    /** Production moved to a version (the pipeline or a person). */
    PROMOTE("promote"),
    /** A person approved a waiting version, which moved production. */
    APPROVE("approve"),
    /** A person rejected a waiting version. */
    REJECT("reject"),
    /** Production moved back to an earlier version. */
    ROLLBACK("rollback"),
    /** A version's tag was set. */
    TAG("tag"),
    /** A rollout started: a challenger beside production (shadow or canary). */
    ROLLOUT_START("rollout_start"),
    /** A canary rollout stepped up to a larger share of requests. */
    ROLLOUT_STEP("rollout_step"),
    /** A rollout was aborted: its challenger retired, all traffic back on production. */
    ROLLOUT_ABORT("rollout_abort"),
    /** A run failed (the pipeline's Catch, or reconciliation). */
    RUN_FAILED("run_failed"),
    /** A run's execution was stopped (reconciliation). */
    RUN_ABORTED("run_aborted"),
    /** A run's execution ran out of time (reconciliation). */
    RUN_TIMED_OUT("run_timed_out");

    private final String id;

    AuditAction(String id) {
        this.id = id;
    }

    /** The name stored in the audit trail and sent in the registry's events. */
    public String id() {
        return id;
    }

    /** Whether an entry of this action records a move of the production alias. */
    public boolean movesProduction() {
        return this == PROMOTE || this == APPROVE || this == ROLLBACK;
    }

    /** The action of a stored name; empty for a name this version does not write. */
    public static Optional<AuditAction> find(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    /** The action recording a run that ended {@code status} outside the pipeline's steps. */
    public static AuditAction runEnded(RunStatus status) {
        return switch (status) {
            case ABORTED -> RUN_ABORTED;
            case TIMED_OUT -> RUN_TIMED_OUT;
            case FAILED -> RUN_FAILED;
            default -> throw new IllegalArgumentException("a run that ends " + status + " is not audited as ended");
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
