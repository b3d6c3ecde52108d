package dev.mlops.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a model's audit trail: who or what did what, when, from which version to which, and why.
 *
 * @param model       model name
 * @param at          when
 * @param action      what: an {@link AuditAction}'s name ({@code register}, {@code promote}, {@code run_failed}, ...)
 * @param actor       who or what: a run id, {@code cli}, a user
 * @param fromVersion the version before (null where it does not apply)
 * @param toVersion   the version after (null where it does not apply)
 * @param reason      why
 * @param forced      true when a person overrode a rule ({@code --force}: a version not blessed, or rejected)
 */
public record AuditEntry(String model, Instant at, String action, String actor, Integer fromVersion, Integer toVersion,
                         String reason, Boolean forced) {

    public AuditEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        forced = Boolean.TRUE.equals(forced) ? Boolean.TRUE : null;
    }

    /** An entry as stored, of an action that overrode no rule. */
    public AuditEntry(String model, Instant at, String action, String actor, Integer fromVersion, Integer toVersion,
                      String reason) {
        this(model, at, action, actor, fromVersion, toVersion, reason, null);
    }

    /** A new entry of {@code action}. */
    public AuditEntry(String model, Instant at, AuditAction action, String actor, Integer fromVersion,
                      Integer toVersion, String reason, boolean forced) {
        this(model, at, action.id(), actor, fromVersion, toVersion, reason, forced);
    }

    /** A new entry of {@code action} that overrode no rule. */
    public AuditEntry(String model, Instant at, AuditAction action, String actor, Integer fromVersion,
                      Integer toVersion, String reason) {
        this(model, at, action.id(), actor, fromVersion, toVersion, reason, null);
    }

    /** The entry of a run that ended without moving production ({@code run_failed}, {@code run_aborted}, ...). */
    public static AuditEntry runEnded(String model, Instant at, RunStatus status, String runId, String reason) {
        return new AuditEntry(model, at, AuditAction.runEnded(status), runId, null, null, reason);
    }

    /** The action, when it is one this version writes (a trail read back may hold older names). */
    public Optional<AuditAction> kind() {
        return AuditAction.find(action);
    }

    /** Whether this entry records a move of the production alias. */
    public boolean movedProduction() {
        return toVersion != null && kind().map(AuditAction::movesProduction).orElse(false);
    }

    /** Whether this entry records {@code a}. */
    public boolean is(AuditAction a) {
        return a.id().equals(action);
    }
}
