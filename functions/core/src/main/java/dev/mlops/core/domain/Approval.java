package dev.mlops.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A version's approval state under a {@code manual} approval policy: who put it there, when and why.
 * A version that never needed approval (policy {@code auto}) has none.
 *
 * @param status where it stands
 * @param actor  who or what: the run that asked for approval, or the person who decided
 * @param at     when
 * @param reason why
 */
public record Approval(ApprovalStatus status, String actor, Instant at, String reason) {

    public Approval {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }

    public boolean pending() {
        return status == ApprovalStatus.PENDING_APPROVAL;
    }
}
