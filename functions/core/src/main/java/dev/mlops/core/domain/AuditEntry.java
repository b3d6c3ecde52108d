package dev.mlops.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a model's audit trail: who or what did what, when, from which version to which, and why.
 *
 * @param model       model name
 * @param at          when
 * @param action      what: {@code register}, {@code promote}, {@code run_failed}, ...
 * @param actor       who or what: a run id, {@code cli}, a user
 * @param fromVersion the version before (null where it does not apply)
 * @param toVersion   the version after (null where it does not apply)
 * @param reason      why
 * @param forced      true when a person overrode a rule ({@code --force}: a version not blessed, or rejected)
 */
public record AuditEntry(String model, Instant at, String action, String actor, Integer fromVersion, Integer toVersion,
                         String reason, Boolean forced) {

    /** Actions that move the production alias. */
    public static final String PROMOTE = "promote";
    public static final String APPROVE = "approve";
    public static final String ROLLBACK = "rollback";

    public AuditEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        forced = Boolean.TRUE.equals(forced) ? Boolean.TRUE : null;
    }

    /** An entry of an action that overrode no rule. */
    public AuditEntry(String model, Instant at, String action, String actor, Integer fromVersion, Integer toVersion,
                      String reason) {
        this(model, at, action, actor, fromVersion, toVersion, reason, null);
    }

    /** Whether this entry records a move of the production alias. */
    public boolean movedProduction() {
        return toVersion != null && (PROMOTE.equals(action) || APPROVE.equals(action) || ROLLBACK.equals(action));
    }
}
