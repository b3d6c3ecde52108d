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
 */
public record AuditEntry(String model, Instant at, String action, String actor, Integer fromVersion, Integer toVersion,
                         String reason) {

    public AuditEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
    }
}
