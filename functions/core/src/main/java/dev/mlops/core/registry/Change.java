package dev.mlops.core.registry;

import dev.mlops.core.domain.AuditAction;

/**
 * The answer to a {@link RegistryCommand}: what happened to the registry and to production, and why.
 *
 * @param action           the command's audit action ({@code promote}, {@code rollback}, {@code approve},
 *                         {@code reject}, {@code tag})
 * @param model            the model
 * @param version          the version it was about (null when none could be named)
 * @param outcome          what it did
 * @param productionBefore production when the command was read
 * @param productionAfter  production after it
 * @param forced           true when a person overrode a rule ({@code --force}), else null
 * @param reason           a sentence for people
 */
public record Change(String action, String model, Integer version, Outcome outcome, Integer productionBefore,
                     Integer productionAfter, Boolean forced, String reason) {

    /** What a change did. */
    public enum Outcome {
        /** Done: the registry changed as asked. */
        CHANGED,
        /** Already so: nothing to do, nothing was written. */
        UNCHANGED,
        /** Someone changed the registry first (production moved, or another decision was made): nothing was changed. */
        CONFLICT,
        /** A rule forbids it (not blessed, rejected, pending, nothing to roll back to): nothing was changed. */
        REFUSED
    }

    public boolean ok() {
        return outcome == Outcome.CHANGED || outcome == Outcome.UNCHANGED;
    }

    /** Done; production went from {@code before} to {@code after} ({@code forced}: a person overrode a rule). */
    static Change changed(AuditAction action, String model, Integer version, Integer before, Integer after,
                          boolean forced, String reason) {
        return new Change(action.id(), model, version, Outcome.CHANGED, before, after, forced ? Boolean.TRUE : null,
                reason);
    }

    /** Already so; production stays {@code production}. */
    static Change unchanged(AuditAction action, String model, Integer version, Integer production, String reason) {
        return new Change(action.id(), model, version, Outcome.UNCHANGED, production, production, null, reason);
    }

    /** Someone was first: production was {@code before} when read and is {@code after} now. */
    static Change conflict(AuditAction action, String model, Integer version, Integer before, Integer after,
                           String reason) {
        return new Change(action.id(), model, version, Outcome.CONFLICT, before, after, null, reason);
    }

    /** A rule forbids it; production stays {@code production}. */
    static Change refused(AuditAction action, String model, Integer version, Integer production, String reason) {
        return new Change(action.id(), model, version, Outcome.REFUSED, production, production, null, reason);
    }
}
