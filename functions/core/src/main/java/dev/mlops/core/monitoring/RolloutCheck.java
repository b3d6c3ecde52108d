package dev.mlops.core.monitoring;

import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RolloutEvidence;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RegistryEvents;
import dev.mlops.core.registry.Rollouts;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduled check's part in a model's rollout: read its evidence ({@link RolloutEvidenceReader}), let the rule
 * decide ({@link RolloutRule}), record the decision on the rollout, and carry it out through {@link Rollouts} (the
 * one way a rollout changes; a promotion moves production through {@code Production.move}). Every change is audited
 * and announced there, with the check as its actor ({@code drift-check:<check id>}). A guardrail's abort sends all
 * traffic back to production at this check: serving re-reads the rollout on the event, or within seconds.
 */
final class RolloutCheck {

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final MetricsSink metrics;
    private final Clock clock;
    private final Rollouts rollouts;

    RolloutCheck(ObjectStore store, ModelRegistry registry, RegistryEvents events, MetricsSink metrics, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.rollouts = new Rollouts(registry, events, clock);
    }

    /**
     * Decides the model's rollout under way, if any.
     *
     * @param end captures written at or before this (the drift window's end)
     * @return the decision; empty when the model has no rollout under way
     */
    Optional<RolloutDecision> check(String model, String checkId, String reportKey, Instant end, int maxLabels) {
        Optional<Rollout> active = rollouts.active(model);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        Rollout read = active.get();
        Instant now = clock.instant();
        FeedbackIndex feedback = FeedbackIndex.read(store, model, read.startedAt(), now, maxLabels);
        RolloutEvidence evidence = RolloutEvidenceReader.read(store, read, feedback.labels, end);
        Integer production = registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
        RolloutRule.Decision decision = RolloutRule.decide(read, evidence, production, now);
        Rollouts.Result recorded = rollouts.record(read, new Rollout.Check(checkId, now, decision.action(),
                decision.reason(), reportKey, evidence));
        String outcome;
        if (!(recorded instanceof Rollouts.Changed changed)) {
            outcome = "not applied: " + ((Rollouts.Conflict) recorded).reason();
        } else {
            outcome = apply(changed.rollout(), decision, "drift-check:" + checkId, checkId);
        }
        Map<String, String> dims = Map.of("Model", model);
        if (evidence.errorRate() != null) {
            metrics.count("RolloutChallengerErrorRate", evidence.errorRate().value(), dims);
        }
        if (evidence.gain() != null) {
            metrics.count("RolloutChallengerGain", evidence.gain().value(), dims);
        }
        metrics.count("RolloutAborted", RolloutRule.ABORT.equals(decision.action()) ? 1 : 0, dims);
        return Optional.of(new RolloutDecision(read.challenger(), read.production(), read.strategy(), read.share(),
                decision.action(), decision.reason(), outcome, evidence));
    }

    private String apply(Rollout r, RolloutRule.Decision decision, String actor, String checkId) {
        Rollouts.Result result = switch (decision.action()) {
            case RolloutRule.ABORT -> rollouts.abort(r, actor, decision.reason());
            case RolloutRule.STEP_UP -> rollouts.step(r, actor, decision.reason());
            case RolloutRule.PROMOTE -> rollouts.promote(r, actor, decision.reason(), Map.of("check_id", checkId));
            default -> null;
        };
        if (result == null) {
            return "continues: " + r.describe();
        }
        if (result instanceof Rollouts.Changed changed) {
            return switch (decision.action()) {
                case RolloutRule.ABORT -> "aborted: all traffic on production v" + r.production();
                case RolloutRule.STEP_UP -> "stepped up: " + changed.rollout().describe();
                default -> "promoted: production v" + r.production() + " -> v" + r.challenger();
            };
        }
        if (result instanceof Rollouts.Conflict conflict) {
            return "not applied: " + conflict.reason();
        }
        return "not applied: " + ((Rollouts.Refused) result).reason();
    }
}
