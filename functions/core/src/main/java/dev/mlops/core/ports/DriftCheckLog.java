package dev.mlops.core.ports;

import dev.mlops.core.domain.DriftCheck;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Drift check summaries, and the claim that keeps retraining to one run per cool-down. */
public interface DriftCheckLog {

    /**
     * Which check last started a model's retraining, and when.
     *
     * @param model     the model
     * @param checkId   the check that holds the claim
     * @param claimedAt when it claimed it
     */
    record RetrainingClaim(String model, String checkId, Instant claimedAt) {
    }

    void record(DriftCheck check);

    /** The most recent check of a model. */
    Optional<DriftCheck> latest(String model);

    /** A model's checks, newest first, at most {@code limit}. */
    List<DriftCheck> history(String model, int limit);

    /**
     * Claims the model's retraining for {@code checkId} at {@code at}, unless another check claimed it after
     * {@code notBefore} (the cool-down): one conditional write, so of two checks racing, one wins. Claiming
     * again with the same check id succeeds (a retried check).
     *
     * @return empty when {@code checkId} holds the claim now; otherwise the claim in force
     */
    Optional<RetrainingClaim> claimRetraining(String model, String checkId, Instant at, Instant notBefore);

    /** Gives the claim back (the retraining could not be started), only while {@code checkId} holds it. */
    void releaseRetraining(String model, String checkId);
}
