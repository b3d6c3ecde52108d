package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.task.Classification;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a blessed challenger reaches production: the {@code rollout} section of {@code schemas/<dataset>/config.json}
 * (docs/rollout.md). Every field is optional; an absent one takes the default below. A rollout copies the policy it
 * starts with, so a change of the config applies to the next rollout, never to one under way.
 *
 * <ul>
 *   <li>{@code direct} (default): production moves to the challenger at once, as before rollouts existed;</li>
 *   <li>{@code shadow}: production keeps answering; the challenger also scores a share of the requests, off the
 *       request path, and both answers are captured;</li>
 *   <li>{@code canary}: the challenger answers a share of the requests (a stable hash of the request's key picks
 *       them), stepping up through {@code steps} while its evidence holds; production scores those requests off
 *       the request path, so both answers are captured.</li>
 * </ul>
 * The scheduled drift check weighs the evidence and decides ({@code RolloutRule}): abort when a guardrail trips,
 * promote (or step up) when the evidence holds, continue otherwise.
 *
 * @param strategy     {@code direct}, {@code shadow} or {@code canary}
 * @param shadowShare  shadow: the share of requests the challenger also scores (default 1: every captured one)
 * @param steps        canary: the challenger's share of requests at each step, increasing, each above 0 and at most
 *                     1 (default 0.1 then 0.5); after the last step holds, the challenger is promoted
 * @param stepMinutes  canary: the least time at a step before the next one (or the promotion) (default 60)
 * @param minRequests  fewest requests both versions answered before the challenger may step up or be promoted
 *                     (default 200)
 * @param minLabels    fewest of those with ground truth (feedback) before it may step up or be promoted (default 50;
 *                     0: decide on requests and errors alone)
 * @param metric       the live metric compared, one of the task's (default: the task's default, accuracy)
 * @param margin       how much worse than production the challenger may be and still go on: it steps up or is
 *                     promoted when the lower end of the 95 % interval of its gain over production is at least
 *                     {@code -margin} (default 0)
 * @param guardrail    when the rollout is aborted, whatever the rest of the evidence says
 */
public record RolloutPolicy(String strategy, Double shadowShare, List<Double> steps, Integer stepMinutes,
                            Integer minRequests, Integer minLabels, String metric, Double margin, Guardrail guardrail) {

    public static final String DIRECT = "direct";
    public static final String SHADOW = "shadow";
    public static final String CANARY = "canary";
    private static final Set<String> STRATEGIES = Set.of(DIRECT, SHADOW, CANARY);

    public RolloutPolicy {
        strategy = strategy == null ? DIRECT : strategy.toLowerCase(Locale.ROOT);
        shadowShare = shadowShare == null ? 1.0 : shadowShare;
        steps = steps == null ? List.of(0.1, 0.5) : List.copyOf(steps);
        stepMinutes = stepMinutes == null ? 60 : stepMinutes;
        minRequests = minRequests == null ? 200 : minRequests;
        minLabels = minLabels == null ? 50 : minLabels;
        metric = metric == null ? Classification.TASK.defaultMetric() : metric;
        margin = margin == null ? 0.0 : margin;
        guardrail = guardrail == null ? Guardrail.defaults() : guardrail;
        if (!STRATEGIES.contains(strategy)) {
            throw new ContractException("rollout.strategy: unknown strategy \"" + strategy
                    + "\"; expected direct, shadow or canary");
        }
        if (!(shadowShare > 0 && shadowShare <= 1)) {
            throw new ContractException("rollout.shadow_share: must be above 0 and at most 1, got " + shadowShare);
        }
        if (steps.isEmpty()) {
            throw new ContractException("rollout.steps: give at least one share, e.g. [0.1, 0.5]");
        }
        double previous = 0;
        for (Double s : steps) {
            if (s == null || !(s > previous && s <= 1)) {
                throw new ContractException("rollout.steps: each share must be above the one before it (and 0) and at"
                        + " most 1, got " + steps);
            }
            previous = s;
        }
        if (stepMinutes < 0 || stepMinutes > 7 * 24 * 60) {
            throw new ContractException("rollout.step_minutes: must be between 0 and 10080 (a week), got " + stepMinutes);
        }
        if (minRequests < 1) {
            throw new ContractException("rollout.min_requests: must be at least 1, got " + minRequests);
        }
        if (minLabels < 0) {
            throw new ContractException("rollout.min_labels: must be at least 0, got " + minLabels);
        }
        if (!Classification.TASK.knows(metric)) {
            throw new ContractException("rollout.metric: unknown metric \"" + metric + "\"; expected "
                    + Classification.TASK.metricNames());
        }
        if (!(margin >= 0 && margin <= 1)) {
            throw new ContractException("rollout.margin: must be between 0 and 1, got " + margin);
        }
    }

    /** The direct strategy: production moves at once. */
    public static RolloutPolicy defaults() {
        return new RolloutPolicy(null, null, null, null, null, null, null, null, null);
    }

    /** Whether a challenger goes through a rollout (shadow or canary) rather than straight to production. */
    public boolean gradual() {
        return !DIRECT.equals(strategy);
    }

    /** Whether the challenger answers a share of the requests (rather than shadowing production). */
    public boolean canary() {
        return CANARY.equals(strategy);
    }

    /** The same policy with another strategy (a person's {@code rollout start --strategy}). */
    public RolloutPolicy withStrategy(String other) {
        return new RolloutPolicy(other, shadowShare, steps, stepMinutes, minRequests, minLabels, metric, margin,
                guardrail);
    }

    /** The same policy with other canary steps (a person's {@code rollout start --share}). */
    public RolloutPolicy withSteps(List<Double> other) {
        return new RolloutPolicy(strategy, shadowShare, other, stepMinutes, minRequests, minLabels, metric, margin,
                guardrail);
    }

    /** The share of requests the challenger is given at step {@code step}: a canary step, or the shadow share. */
    public double share(int step) {
        return CANARY.equals(strategy) ? steps.get(step) : shadowShare;
    }

    /**
     * When a rollout is aborted, whatever the rest of the evidence says: checked at every check, first.
     *
     * @param maxErrorRate the challenger's share of failed answers (it could not load, or failed to predict) above
     *                     which it is aborted: when the lower end of the rate's 95 % interval is above this (default
     *                     0.01)
     * @param maxDrop      how much worse than production on the live metric it may be: aborted when the upper end of
     *                     the 95 % interval of its gain is below {@code -max_drop} (default 0.05)
     * @param minLabels    fewest labelled requests before the quality guardrail judges (default 20)
     */
    public record Guardrail(Double maxErrorRate, Double maxDrop, Integer minLabels) {

        public Guardrail {
            maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
            maxDrop = maxDrop == null ? 0.05 : maxDrop;
            minLabels = minLabels == null ? 20 : minLabels;
            if (!(maxErrorRate >= 0 && maxErrorRate < 1)) {
                throw new ContractException("rollout.guardrail.max_error_rate: must be at least 0 and below 1, got "
                        + maxErrorRate);
            }
            if (!(maxDrop >= 0 && maxDrop <= 1)) {
                throw new ContractException("rollout.guardrail.max_drop: must be between 0 and 1, got " + maxDrop);
            }
            if (minLabels < 1) {
                throw new ContractException("rollout.guardrail.min_labels: must be at least 1, got " + minLabels);
            }
        }

        public static Guardrail defaults() {
            return new Guardrail(null, null, null);
        }
    }
}
