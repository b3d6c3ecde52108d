package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;

/**
 * Whether a blessed version goes to production by itself or waits for a person:
 * {@code {"approval": {"policy": "manual"}}} in {@code schemas/<dataset>/config.json}.
 * Under {@code manual} the pipeline leaves a blessed version PENDING_APPROVAL, and
 * {@code models approve} promotes it through the same compare-and-set from its champion.
 *
 * @param policy {@code auto} (default) or {@code manual}
 */
public record ApprovalPolicy(String policy) {

    public static final String AUTO = "auto";
    public static final String MANUAL = "manual";

    public ApprovalPolicy {
        policy = policy == null ? AUTO : policy;
        if (!AUTO.equals(policy) && !MANUAL.equals(policy)) {
            throw new ContractException("field \"policy\": unknown approval policy \"" + policy
                    + "\"; expected auto or manual");
        }
    }

    public boolean manual() {
        return MANUAL.equals(policy);
    }

    public static ApprovalPolicy defaults() {
        return new ApprovalPolicy(AUTO);
    }
}
