package dev.mlops.core.registry;

import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.RegistryEvents;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's production alias: which version serves, and the one way it moves, for the pipeline and for people
 * alike: a compare-and-set from the version the caller saw ({@link ModelRegistry#moveAlias}), then one audit
 * entry, then the events that announce it. A lost race is an answer ({@link Conflict}), not an error: nothing
 * was changed. A rollout state (a challenger beside production) would live here too, under the same rule.
 */
public final class Production {

    /** What a move did. */
    public sealed interface Result permits Moved, Conflict {
    }

    /** Production now serves the version; {@code entry} is the audit entry that records it. */
    public record Moved(AuditEntry entry) implements Result {
    }

    /** Production was not the expected version (it moved meanwhile): nothing was changed. */
    public record Conflict(Integer production) implements Result {
    }

    /**
     * One move of production.
     *
     * @param action   {@link AuditAction#PROMOTE}, {@link AuditAction#APPROVE} or {@link AuditAction#ROLLBACK}
     * @param to       the version that is to serve
     * @param expected the version the caller saw in production (null: none)
     * @param actor    who or what: a run id, {@code cli:<user>}
     * @param reason   why, as the audit trail keeps it
     * @param forced   whether a person overrode a rule ({@code --force}); the reason is then marked FORCED
     * @param detail   what the announcing events carry besides the audit entry's fields
     */
    public record Move(AuditAction action, ModelVersion to, Integer expected, String actor, String reason,
                       boolean forced, Map<String, Object> detail) {

        public Move {
            if (!action.movesProduction()) {
                throw new IllegalArgumentException(action + " does not move production");
            }
            detail = Map.copyOf(detail);
        }

        /** A move that overrides no rule and announces nothing beyond the audit entry. */
        public static Move of(AuditAction action, ModelVersion to, Integer expected, String actor, String reason) {
            return new Move(action, to, expected, actor, reason, false, Map.of());
        }

        /** The same move, forced by a person (or not). */
        public Move forced(boolean byForce) {
            return new Move(action, to, expected, actor, reason, byForce, detail);
        }

        /** The same move, its events carrying {@code more}. */
        public Move announcing(Map<String, Object> more) {
            return new Move(action, to, expected, actor, reason, forced, more);
        }
    }

    private final ModelRegistry registry;
    private final RegistryEvents events;
    private final Clock clock;

    public Production(ModelRegistry registry, RegistryEvents events, Clock clock) {
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /** The version production of {@code model} points at, or null when there is none. */
    public Integer version(String model) {
        return current(registry, model);
    }

    /** The version production of {@code model} points at in {@code registry}, or null when there is none. */
    static Integer current(ModelRegistry registry, String model) {
        return registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
    }

    /** Moves production; see {@link #move(Move, Runnable)}. */
    public Result move(Move move) {
        return move(move, () -> { });
    }

    /**
     * Moves production to {@code move.to()} if it still is {@code move.expected()}: the compare-and-set, the audit
     * entry, then {@code recorded} (what the caller records about the move before it is announced: the pipeline
     * ends its run), then the events ({@link AuditAction#PROMOTE}: Model Promoted; {@link AuditAction#ROLLBACK}:
     * Model Rolled Back; {@link AuditAction#APPROVE}: Model Version Approved and Model Promoted).
     *
     * @return {@link Moved}, or {@link Conflict} with production as it is now
     */
    public Result move(Move move, Runnable recorded) {
        String model = move.to().model();
        int version = move.to().version();
        if (!registry.moveAlias(model, ModelRegistry.PRODUCTION, version, move.expected())) {
            return new Conflict(version(model));
        }
        AuditEntry entry = new AuditEntry(model, clock.instant(), move.action(), move.actor(), move.expected(), version,
                move.forced() ? "FORCED: " + move.reason() : move.reason(), move.forced());
        registry.audit(entry);
        recorded.run();
        List<RegistryEvent> announced = new ArrayList<>();
        for (String detailType : detailTypes(move.action())) {
            announced.add(RegistryEvent.of(detailType, entry, move.detail()));
        }
        events.publish(announced);
        return new Moved(entry);
    }

    private static List<String> detailTypes(AuditAction action) {
        return switch (action) {
            case APPROVE -> List.of(RegistryEvent.APPROVED, RegistryEvent.PROMOTED);
            case ROLLBACK -> List.of(RegistryEvent.ROLLED_BACK);
            default -> List.of(RegistryEvent.PROMOTED);
        };
    }

    /** A version for people: {@code v3}, or {@code no production version}. */
    static String describe(Integer version) {
        return version == null ? "no production version" : "v" + version;
    }
}
