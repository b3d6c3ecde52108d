package dev.mlops.core.domain;

import dev.mlops.core.pipeline.RolloutPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A model's rollout: a challenger beside production, the share of traffic it gets, since when, and the last check's
 * evidence. It lives in the registry beside the production alias and changes the same way, by a compare-and-set:
 * every write names the {@code revision} it replaces ({@code ModelRegistry.putRollout}), so two deciders (the
 * scheduled check and a person, say) can never both win. An ended rollout is kept, with how and why it ended, until
 * the next one starts: revisions only grow.
 *
 * @param model         the model
 * @param challenger    the version being rolled out
 * @param production    the production version it is compared with; when production moves elsewhere the rollout is
 *                      stale: serving ignores it and the next check aborts it
 * @param status        active, or how it ended
 * @param strategy      {@code shadow} or {@code canary} ({@link RolloutPolicy})
 * @param step          canary: which of the policy's steps it is at (0 first); shadow: 0
 * @param share         canary: the share of requests the challenger answers; shadow: the share it also scores
 * @param policy        the policy it started with (the rule that decides it)
 * @param startedAt     when it started
 * @param stepStartedAt when its current step started
 * @param actor         who or what started it: a run id, {@code cli:<user>}
 * @param reason        why it started
 * @param revision      1, 2, ... per model, one more at every write
 * @param endedAt       when it ended (null while active)
 * @param endedBy       who or what ended it
 * @param endReason     why it ended
 * @param lastCheck     the last check's decision and evidence (null before the first check)
 */
public record Rollout(String model, int challenger, int production, Status status, String strategy, int step,
                      double share, RolloutPolicy policy, Instant startedAt, Instant stepStartedAt, String actor,
                      String reason, int revision, Instant endedAt, String endedBy, String endReason,
                      Check lastCheck) {

    /** Where a rollout stands. */
    public enum Status {
        /** The challenger is shadowing production or answering its share. */
        ACTIVE,
        /** The challenger became production. */
        PROMOTED,
        /** The challenger was retired; all traffic is production's. */
        ABORTED
    }

    /**
     * What a check decided about a rollout, and on which evidence.
     *
     * @param checkId   the drift check
     * @param at        when
     * @param decision  {@code CONTINUE}, {@code STEP_UP}, {@code PROMOTE} or {@code ABORT}
     * @param reason    why, with the numbers
     * @param reportKey the check's report ({@code drift.json}: the evidence in full)
     * @param evidence  the evidence
     */
    public record Check(String checkId, Instant at, String decision, String reason, String reportKey,
                        RolloutEvidence evidence) {
    }

    public Rollout {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(startedAt, "startedAt");
        stepStartedAt = stepStartedAt == null ? startedAt : stepStartedAt;
        if (revision < 1) {
            throw new IllegalArgumentException("a rollout's revision starts at 1, got " + revision);
        }
    }

    /**
     * A new rollout of {@code challenger} beside {@code production}, at the policy's first step.
     *
     * @param previous the model's last rollout (ended), whose revision this one follows; null when it has none
     */
    public static Rollout start(String model, int challenger, int production, RolloutPolicy policy, Instant at,
                                String actor, String reason, Rollout previous) {
        if (!policy.gradual()) {
            throw new IllegalArgumentException("the direct strategy starts no rollout");
        }
        return new Rollout(model, challenger, production, Status.ACTIVE, policy.strategy(), 0, policy.share(0), policy,
                at, at, actor, reason, previous == null ? 1 : previous.revision + 1, null, null, null, null);
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    public boolean canary() {
        return RolloutPolicy.CANARY.equals(strategy);
    }

    /** Whether a canary has steps after the current one. */
    public boolean hasNextStep() {
        return canary() && step + 1 < policy.steps().size();
    }

    /** The same rollout at the next canary step, from {@code at}. */
    public Rollout stepped(Instant at) {
        if (!hasNextStep()) {
            throw new IllegalStateException("rollout of " + model + " v" + challenger + " has no step after " + step);
        }
        return new Rollout(model, challenger, production, status, strategy, step + 1, policy.share(step + 1), policy,
                startedAt, at, actor, reason, revision + 1, endedAt, endedBy, endReason, lastCheck);
    }

    /** The same rollout, ended. */
    public Rollout ended(Status how, Instant at, String by, String why) {
        if (how == Status.ACTIVE) {
            throw new IllegalArgumentException("a rollout ends PROMOTED or ABORTED");
        }
        return new Rollout(model, challenger, production, how, strategy, step, share, policy, startedAt, stepStartedAt,
                actor, reason, revision + 1, at, by, why, lastCheck);
    }

    /** The same rollout with a check's decision and evidence. */
    public Rollout checked(Check check) {
        return new Rollout(model, challenger, production, status, strategy, step, share, policy, startedAt,
                stepStartedAt, actor, reason, revision + 1, endedAt, endedBy, endReason, check);
    }

    /** How long it has been at its current step at {@code now}. */
    public Duration atStep(Instant now) {
        return Duration.between(stepStartedAt, now);
    }

    /** The rollout in a few words: {@code canary v3 beside production v2 at 10 %}. */
    public String describe() {
        return strategy + " v" + challenger + " beside production v" + production
                + (canary() ? String.format(java.util.Locale.ROOT, " at %s of requests (step %d of %d)",
                percent(share), step + 1, policy.steps().size())
                : String.format(java.util.Locale.ROOT, " scoring %s of requests", percent(share)));
    }

    /** A share as people read it: {@code 10 %}, {@code 2.5 %}. */
    public static String percent(double share) {
        double p = share * 100;
        return (p == Math.rint(p) ? String.format(java.util.Locale.ROOT, "%.0f", p)
                : String.format(java.util.Locale.ROOT, "%.1f", p)) + " %";
    }
}
