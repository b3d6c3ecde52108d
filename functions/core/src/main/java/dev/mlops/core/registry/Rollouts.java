package dev.mlops.core.registry;

import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.pipeline.RolloutPolicy;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.RegistryEvents;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.mlops.core.registry.Production.describe;

/**
 * A model's rollout and the one way it changes, for the pipeline, the scheduled check and people alike: a
 * compare-and-set from the revision the caller read ({@link ModelRegistry#putRollout}), then one audit entry, then
 * the event that announces it (the inference function re-reads production and its rollout on it). A promotion
 * moves production through {@link Production#move}, the one way production moves, and ends the rollout before it
 * is announced. A lost race is an answer ({@link Conflict}), not an error: nothing was changed.
 */
public final class Rollouts {

    /** What a change did. */
    public sealed interface Result permits Changed, Unchanged, Conflict, Refused {
    }

    /** The rollout is now {@code rollout}; {@code entry} is the audit entry that records it (null: a check's evidence). */
    public record Changed(Rollout rollout, AuditEntry entry) implements Result {
    }

    /** It already was so (a retried step): nothing was written. */
    public record Unchanged(Rollout rollout, String reason) implements Result {
    }

    /** Another change came first (the rollout or production moved): nothing was changed. */
    public record Conflict(Rollout now, Integer production, String reason) implements Result {
    }

    /** A rule forbids it: nothing was changed. */
    public record Refused(String reason) implements Result {
    }

    private final ModelRegistry registry;
    private final RegistryEvents events;
    private final Clock clock;
    private final Production production;

    public Rollouts(ModelRegistry registry, RegistryEvents events, Clock clock) {
        this.registry = registry;
        this.events = events;
        this.clock = clock;
        this.production = new Production(registry, events, clock);
    }

    /** The rollout under way, if any. */
    public Optional<Rollout> active(String model) {
        return registry.rollout(model).filter(Rollout::active);
    }

    /** The model's rollout: under way, or the last that ended. */
    public Optional<Rollout> last(String model) {
        return registry.rollout(model);
    }

    /**
     * Starts a rollout of {@code challenger} beside production.
     *
     * @param expected  the production the caller compared the challenger with (null: whatever it is now)
     * @param supersede whether a rollout of another challenger under way is aborted for this one (the pipeline: the
     *                  newest blessed version goes on); otherwise that is a refusal
     * @return {@link Changed}, {@link Unchanged} (this rollout is already under way), {@link Conflict} (production is
     *         not {@code expected}) or {@link Refused}
     */
    public Result start(ModelVersion challenger, RolloutPolicy policy, Integer expected, String actor, String reason,
                        boolean supersede) {
        String model = challenger.model();
        int version = challenger.version();
        Integer current = production.version(model);
        if (current == null) {
            return new Refused("model " + model + " has no production version to roll v" + version + " out beside;"
                    + " promote it instead");
        }
        if (expected != null && !expected.equals(current)) {
            return new Conflict(registry.rollout(model).orElse(null), current, "production is " + describe(current)
                    + ", not " + describe(expected) + " as expected; nothing changed");
        }
        if (current == version) {
            return new Refused("v" + version + " already serves as production");
        }
        if (challenger.blessing() != null && Regression.TASK.knows(challenger.blessing().metric())) {
            // The evidence compares predicted labels and live accuracy; a regression has neither, so a rollout of
            // one would be decided on nothing.
            return new Refused("v" + version + " is a regression model (blessed by " + challenger.blessing().metric()
                    + "): shadow and canary rollouts compare predicted labels and are for classification models"
                    + " only; promote it directly (rollout strategy direct)");
        }
        Rollout last = registry.rollout(model).orElse(null);
        if (last != null && last.active()) {
            if (last.challenger() == version && last.production() == current) {
                return new Unchanged(last, "a rollout of v" + version + " is already under way: " + last.describe());
            }
            if (!supersede) {
                return new Refused("a rollout is under way (" + last.describe() + "); abort it first");
            }
            Result aborted = abort(last, actor, "superseded by v" + version);
            if (!(aborted instanceof Changed changed)) {
                return aborted;
            }
            last = changed.rollout();
        }
        Instant now = clock.instant();
        Rollout next = Rollout.start(model, version, current, policy, now, actor, reason, last);
        if (!registry.putRollout(next)) {
            return conflict(model);
        }
        AuditEntry entry = new AuditEntry(model, now, AuditAction.ROLLOUT_START, actor, current, version,
                next.describe() + ": " + reason);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.ROLLOUT_STARTED, entry, detail(next)));
        return new Changed(next, entry);
    }

    /** Steps a canary up to its next share, from the rollout the caller read. */
    public Result step(Rollout from, String actor, String reason) {
        if (!from.active() || !from.hasNextStep()) {
            return new Refused("the rollout of " + from.model() + " v" + from.challenger() + " has no next step");
        }
        Rollout next = from.stepped(clock.instant());
        if (!registry.putRollout(next)) {
            return conflict(from.model());
        }
        AuditEntry entry = new AuditEntry(from.model(), next.stepStartedAt(), AuditAction.ROLLOUT_STEP, actor,
                from.production(), from.challenger(), next.describe() + ": " + reason);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.ROLLOUT_STEPPED, entry, detail(next)));
        return new Changed(next, entry);
    }

    /** Aborts the rollout the caller read: its challenger is retired, all traffic goes back to production. */
    public Result abort(Rollout from, String actor, String reason) {
        if (!from.active()) {
            return new Refused("the rollout of " + from.model() + " v" + from.challenger() + " already ended "
                    + from.status());
        }
        Instant now = clock.instant();
        Rollout next = from.ended(Rollout.Status.ABORTED, now, actor, reason);
        if (!registry.putRollout(next)) {
            return conflict(from.model());
        }
        AuditEntry entry = new AuditEntry(from.model(), now, AuditAction.ROLLOUT_ABORT, actor, from.production(),
                from.challenger(), reason);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.ROLLOUT_ABORTED, entry, detail(next)));
        return new Changed(next, entry);
    }

    /**
     * Promotes the rollout's challenger: production moves to it from the production the rollout was compared with
     * ({@link Production#move}, audited as a promotion), the rollout ends PROMOTED, then both are announced (Model
     * Promoted, Model Rollout Promoted). If production moved meanwhile, nothing is promoted and the rollout is
     * aborted: its evidence was about another production.
     *
     * @param detail what the announcing events carry besides the audit entry's fields
     */
    public Result promote(Rollout from, String actor, String reason, Map<String, Object> detail) {
        if (!from.active()) {
            return new Refused("the rollout of " + from.model() + " v" + from.challenger() + " already ended "
                    + from.status());
        }
        ModelVersion challenger = registry.find(from.model(), from.challenger()).orElseThrow(() ->
                new IntegrityException("the rollout of " + from.model() + " names v" + from.challenger()
                        + ", which the registry does not have"));
        Map<String, Object> announced = new LinkedHashMap<>(detail(from));
        announced.putAll(detail);
        Rollout[] ended = new Rollout[1];
        Production.Result moved = production.move(Production.Move.of(AuditAction.PROMOTE, challenger, from.production(),
                actor, reason).announcing(announced), () -> ended[0] = endPromoted(from, actor, reason));
        if (moved instanceof Production.Conflict conflict) {
            String why = "production moved to " + describe(conflict.production()) + " while v" + from.challenger()
                    + " was compared with v" + from.production() + "; not promoted";
            Result aborted = abort(from, actor, why);
            return aborted instanceof Changed ? new Conflict(((Changed) aborted).rollout(), conflict.production(), why)
                    : aborted;
        }
        AuditEntry entry = ((Production.Moved) moved).entry();
        events.publish(RegistryEvent.of(RegistryEvent.ROLLOUT_PROMOTED, entry, announced));
        return new Changed(ended[0], entry);
    }

    /**
     * Ends a promoted rollout; if another write came between (a check recording its evidence), the latest revision
     * is ended instead, as long as it is still this challenger's rollout.
     */
    private Rollout endPromoted(Rollout from, String actor, String reason) {
        Rollout current = from;
        for (int attempt = 0; attempt < 5; attempt++) {
            Rollout next = current.ended(Rollout.Status.PROMOTED, clock.instant(), actor, reason);
            if (registry.putRollout(next)) {
                return next;
            }
            current = registry.rollout(from.model()).orElse(null);
            if (current == null || !current.active() || current.challenger() != from.challenger()) {
                return current;
            }
        }
        return current;
    }

    /** Records a check's decision and evidence on the rollout the check read (not audited: nothing changed). */
    public Result record(Rollout from, Rollout.Check check) {
        Rollout next = from.checked(check);
        return registry.putRollout(next) ? new Changed(next, null) : conflict(from.model());
    }

    private Conflict conflict(String model) {
        Rollout now = registry.rollout(model).orElse(null);
        return new Conflict(now, production.version(model), "the rollout of " + model + " changed meanwhile"
                + (now == null ? "" : " (now revision " + now.revision() + ", " + now.status() + ")")
                + "; nothing changed");
    }

    /** What every rollout event carries besides the audit entry's fields. */
    private static Map<String, Object> detail(Rollout r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("strategy", r.strategy());
        d.put("share", r.share());
        if (r.canary()) {
            d.put("step", r.step() + 1);
        }
        d.put("challenger_version", r.challenger());
        d.put("production_version", r.production());
        return d;
    }
}
