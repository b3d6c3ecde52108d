package dev.mlops.core.domain;

/** Where a blessed version stands when its model's approval policy is {@code manual}. */
public enum ApprovalStatus {
    /** Blessed, waiting for a person: it serves nothing until approved. */
    PENDING_APPROVAL,
    /** Approved by a person, and promoted through the compare-and-set from its champion. */
    APPROVED,
    /** Rejected by a person, with the reason: it is never promoted without {@code --force}. */
    REJECTED
}
