package dev.mlops.core.serving;

import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.explain.Explainer;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The models this instance serves: which version production points at, loaded and kept, and what happens when
 * the registry or the artifact store wobbles.
 *
 * <ul>
 *   <li><b>Which version.</b> The production alias is re-read when it is older than {@link #ALIAS_TTL_MILLIS},
 *       on the {@code refresher} (a background thread in the function), so a promotion reaches a warm function
 *       within seconds and a request never waits for the registry once its model is loaded; the registry's
 *       announcement that production moved ({@link ProductionChanged}) makes the next request re-read it at
 *       once. A pinned version ({@code ?version=N}) is loaded beside production, at most {@value #MAX_PINNED}.</li>
 *   <li><b>When a dependency wobbles.</b> If the registry or the artifact store cannot be reached, a model
 *       already loaded keeps answering with the last known alias ({@link Found#stale()}: counted as {@code
 *       StaleModelServed}, the failed refresh logged). A version that cannot be loaded is not fetched again
 *       within the TTL.</li>
 *   <li><b>Rollouts.</b> A model's rollout ({@link #rollout}) is read from the registry beside its alias, kept
 *       and re-read the same way (every {@link #ALIAS_TTL_MILLIS} on the {@code refresher}, at once on the
 *       registry's event), and its challenger loaded like production. A rollout compared with another production
 *       than the one serving is ignored (the next check aborts it); a registry that cannot be read leaves the last
 *       rollout known in force, and none when none was known: production answers alone.</li>
 *   <li><b>Warm-up.</b> The production models, and the challengers of their rollouts, are loaded before the first
 *       request ({@link #warmUp}).</li>
 * </ul>
 *
 * Nothing here knows HTTP: a model that cannot serve is a {@link NotServed} with its {@link NotServed.Kind}.
 */
public final class ServedModels {

    static final long ALIAS_TTL_MILLIS = 2_000;

    /** Versions pinned with {@code ?version=} kept loaded at once (production models are always kept). */
    static final int MAX_PINNED = 8;

    private static final Logger LOG = Logger.getLogger(ServedModels.class.getName());

    /** A loaded version, and its explainer once a request asked for one (built once: an XGBoost model's holds a booster). */
    public static final class Served {
        private final ModelVersion version;
        private final Predictor predictor;
        private volatile Explainer explainer;

        Served(ModelVersion version, Predictor predictor) {
            this.version = version;
            this.predictor = predictor;
        }

        /** The version's registry entry. */
        public ModelVersion version() {
            return version;
        }

        /** The loaded model. */
        public Predictor predictor() {
            return predictor;
        }

        /**
         * The loaded model's explainer, built on first use.
         *
         * @throws ContractException if the model's task is not explained
         */
        public Explainer explainer() {
            Explainer e = explainer;
            if (e == null) {
                e = Explainer.of(predictor);   // two racing requests may both build one: harmless, one is kept
                explainer = e;
            }
            return e;
        }
    }

    /** Which model serves a request, or why none can. */
    public sealed interface Resolution permits Found, NotServed {
    }

    /** It serves; {@code stale}: production could not be re-read, so this is the last version known. */
    public record Found(Served served, boolean stale) implements Resolution {
    }

    /** Why no model serves, in a sentence for the caller. */
    public record NotServed(Kind kind, String reason) implements Resolution {

        /** Why, in kinds the API answers differently. */
        public enum Kind {
            /** The model or version does not exist. */
            NOT_FOUND,
            /** It exists but cannot serve: no production version, an artifact that does not load. */
            UNAVAILABLE,
            /** The registry or the artifact store could not be reached (not a verdict on the model). */
            UNREACHABLE
        }
    }

    /** A rollout under way as this instance serves it: the rollout, and its challenger loaded (or why not). */
    public record LiveRollout(Rollout rollout, Resolution challenger) {
    }

    /** A model's rollout as last read (null: none) and when. */
    private record RolloutState(Rollout rollout, long checkedAt) {
    }

    /** The production alias as last read: the version, when it was read, and whether the last read failed. */
    private record AliasState(int version, long checkedAt, boolean stale) {
    }

    private record Failure(String reason, long at) {
    }

    private final ModelRegistry registry;
    private final ArtifactLoader artifacts;
    private final MetricsSink metrics;
    private final Clock clock;
    private final Executor refresher;
    private final Map<String, AliasState> aliases = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** The production model served per model name. */
    private final Map<String, Served> production = new ConcurrentHashMap<>();
    /** Versions pinned with {@code ?version=}, keyed {@code model@version}. */
    private final Map<String, Served> pinned = new ConcurrentHashMap<>();
    /** Versions that could not be loaded, not retried within the TTL (the artifact is not fetched per request). */
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    /** The rollout per model name, as last read. */
    private final Map<String, RolloutState> rollouts = new ConcurrentHashMap<>();
    private final Set<String> refreshingRollouts = ConcurrentHashMap.newKeySet();
    /** The challenger served per model name. */
    private final Map<String, Served> challengers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> staleServed = new ConcurrentHashMap<>();
    private volatile long staleReportedAt = Long.MIN_VALUE / 2;

    /**
     * @param refresher where expired aliases are re-read; a background executor keeps the registry off the
     *                  request path
     */
    public ServedModels(ObjectStore store, ModelRegistry registry, MetricsSink metrics, Clock clock,
                        Executor refresher) {
        this.registry = registry;
        this.artifacts = new ArtifactLoader(store);
        this.metrics = metrics;
        this.clock = clock;
        this.refresher = refresher;
    }

    /**
     * Forgets which version production of every model pointed at, so the next request re-reads the alias (a
     * SnapStart restore: the snapshot may be old). Loaded models are kept.
     */
    public void invalidateAll() {
        aliases.clear();
        rollouts.clear();
    }

    /** The registry said production or the rollout of a model changed: its next request re-reads both. */
    public void productionChanged(ProductionChanged change) {
        aliases.remove(change.model());
        rollouts.remove(change.model());
    }

    /**
     * The rollout under way for a model whose production serves {@code productionVersion}: empty when there is
     * none, or when it was compared with another production version.
     */
    public Optional<LiveRollout> rollout(String model, int productionVersion) {
        RolloutState state = rollouts.get(model);
        if (state == null) {
            state = readRollout(model, null);
        } else if (clock.millis() - state.checkedAt() >= ALIAS_TTL_MILLIS && refreshingRollouts.add(model)) {
            try {
                refresher.execute(() -> {
                    try {
                        readRollout(model, rollouts.get(model));
                    } finally {
                        refreshingRollouts.remove(model);
                    }
                });
            } catch (RejectedExecutionException e) {
                refreshingRollouts.remove(model);
            }
            state = rollouts.get(model);
        }
        Rollout r = state.rollout();
        if (r == null || !r.active() || r.production() != productionVersion) {
            challengers.remove(model);
            return Optional.empty();
        }
        Served loaded = challengers.get(model);
        if (loaded != null && loaded.version().version() == r.challenger()) {
            return Optional.of(new LiveRollout(r, new Found(loaded, false)));
        }
        Resolution challenger = load(model, r.challenger(), false);
        if (challenger instanceof Found found) {
            challengers.put(model, found.served());
        }
        return Optional.of(new LiveRollout(r, challenger));
    }

    /** Reads a model's rollout; a failure keeps {@code last} (none when there was none) until the next try. */
    private RolloutState readRollout(String model, RolloutState last) {
        RolloutState state;
        try {
            state = new RolloutState(registry.rollout(model).orElse(null), clock.millis());
        } catch (RuntimeException e) {
            logUnreachable("registry", model, e);
            state = new RolloutState(last == null ? null : last.rollout(), clock.millis());
        }
        rollouts.put(model, state);
        return state;
    }

    /**
     * The production model, or the version pinned by {@code ?version=N}.
     *
     * @throws ContractException for a query parameter other than {@code version}, or a version that is not one
     */
    public Resolution resolve(String model, Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!name.equals("version")) {
                throw new ContractException("unknown query parameter \"" + name + "\": only \"version\" is accepted");
            }
        }
        String pin = query.get("version");
        if (pin == null) {
            return production(model);
        }
        int version;
        try {
            version = Integer.parseInt(pin);
        } catch (NumberFormatException e) {
            version = 0;
        }
        if (version < 1) {
            throw new ContractException("version: expected a version number (1, 2, ...), got \"" + pin + "\"");
        }
        Served current = production.get(model);
        AliasState alias = aliases.get(model);
        if (current != null && alias != null && current.version().version() == version) {
            return new Found(current, false);
        }
        Served served = pinned.get(model + "@" + version);
        if (served != null) {
            return new Found(served, false);
        }
        Resolution loaded = load(model, version, true);
        if (loaded instanceof Found found) {
            if (pinned.size() >= MAX_PINNED) {
                pinned.clear();
            }
            pinned.put(model + "@" + version, found.served());
        }
        return loaded;
    }

    /** The model production serves. */
    public Resolution production(String model) {
        AliasState alias = aliases.get(model);
        if (alias != null && clock.millis() - alias.checkedAt() >= ALIAS_TTL_MILLIS && refreshing.add(model)) {
            try {
                refresher.execute(() -> refresh(model));
            } catch (RejectedExecutionException e) {
                refreshing.remove(model);
            }
            alias = aliases.get(model);
        }
        if (alias == null) {
            Resolution first = readAlias(model);
            if (!(first instanceof Found)) {
                return first;
            }
            alias = aliases.get(model);
            if (alias == null) {
                return first;
            }
        }
        Served current = production.get(model);
        if (current != null && current.version().version() == alias.version()) {
            return new Found(current, alias.stale());
        }
        Resolution next = load(model, alias.version(), false);
        if (next instanceof Found found) {
            production.put(model, found.served());
            return new Found(found.served(), alias.stale());
        }
        if (current != null && ((NotServed) next).kind() == NotServed.Kind.UNREACHABLE) {
            // The new version cannot be fetched right now: the one already loaded keeps serving.
            return new Found(current, true);
        }
        return next;
    }

    /**
     * Reads the alias of a model this container has no alias for (its first request, or after
     * production was removed). A placeholder {@link Found} means the alias is now in {@link #aliases}.
     */
    private Resolution readAlias(String model) {
        Optional<Integer> version;
        try {
            version = registry.alias(model, ModelRegistry.PRODUCTION);
        } catch (RuntimeException e) {
            logUnreachable("registry", model, e);
            Served loaded = production.get(model);
            if (loaded != null) {
                aliases.put(model, new AliasState(loaded.version().version(), clock.millis(), true));
                return new Found(loaded, true);
            }
            return unreachable("the model registry is unreachable, so which version of " + model
                    + " serves is unknown; retry later");
        }
        if (version.isEmpty()) {
            production.remove(model);
            boolean exists;
            try {
                exists = !registry.versions(model).isEmpty();
            } catch (RuntimeException e) {
                logUnreachable("registry", model, e);
                return unreachable("the model registry is unreachable; retry later");
            }
            return exists
                    ? new NotServed(NotServed.Kind.UNAVAILABLE, "model " + model + " has no production version")
                    : new NotServed(NotServed.Kind.NOT_FOUND, "model " + model + " does not exist");
        }
        aliases.put(model, new AliasState(version.get(), clock.millis(), false));
        return new Found(null, false);
    }

    /** Re-reads an expired alias; a failure keeps the last known version, marked stale, until the next try. */
    private void refresh(String model) {
        try {
            Optional<Integer> version = registry.alias(model, ModelRegistry.PRODUCTION);
            if (version.isPresent()) {
                aliases.put(model, new AliasState(version.get(), clock.millis(), false));
            } else {
                aliases.remove(model);
            }
        } catch (RuntimeException e) {
            AliasState old = aliases.get(model);
            if (old != null) {
                aliases.put(model, new AliasState(old.version(), clock.millis(), true));
            }
            logUnreachable("registry", model, e);
            metrics.count("AliasRefreshFailures", 1, Map.of("Model", model));
        } finally {
            refreshing.remove(model);
        }
    }

    /** Loads a version (registry record, artifact, signature), remembering a failure for the TTL. */
    private Resolution load(String model, int version, boolean pinnedByClient) {
        String key = model + "@" + version;
        Failure failure = failures.get(key);
        long now = clock.millis();
        if (failure != null && now - failure.at() < ALIAS_TTL_MILLIS) {
            return new NotServed(NotServed.Kind.UNAVAILABLE, failure.reason());
        }
        Optional<ModelVersion> v;
        try {
            v = registry.find(model, version);
        } catch (RuntimeException e) {
            logUnreachable("registry", model, e);
            return unreachable("the model registry is unreachable, so " + model + " v" + version
                    + " cannot be loaded; retry later");
        }
        if (v.isEmpty()) {
            return pinnedByClient
                    ? new NotServed(NotServed.Kind.NOT_FOUND, "model " + model + " has no version " + version)
                    : new NotServed(NotServed.Kind.UNAVAILABLE, "production of " + model + " points at v" + version
                            + ", which the registry does not have");
        }
        ArtifactLoader.Result result;
        try {
            result = artifacts.load(v.get().artifact());
        } catch (RuntimeException e) {
            logUnreachable("artifact store", model, e);
            return unreachable("the artifact store is unreachable, so " + model + " v" + version
                    + " cannot be loaded; retry later");
        }
        if (result instanceof ArtifactLoader.Unavailable u) {
            String reason = "model " + model + " v" + version + " cannot be loaded: " + u.reason();
            logUnloadable(model, version, u);
            if (failures.size() > 64) {
                failures.clear();
            }
            failures.put(key, new Failure(reason, now));
            return new NotServed(NotServed.Kind.UNAVAILABLE, reason);
        }
        failures.remove(key);
        return new Found(new Served(v.get(), ((ArtifactLoader.Ready) result).predictor()), false);
    }

    private static NotServed unreachable(String reason) {
        return new NotServed(NotServed.Kind.UNREACHABLE, reason);
    }

    /** The details of a model that cannot be loaded (keys, checksums, refused classes) go to the log only. */
    static void logUnloadable(String model, int version, ArtifactLoader.Unavailable why) {
        LOG.log(Level.WARNING, "model cannot be loaded", new Object[] {Map.of("model", model,
                "version", version, "detail", why.detail())});
    }

    static void logUnreachable(String dependency, String model, RuntimeException e) {
        LOG.log(Level.WARNING, dependency + " unreachable", new Object[] {Map.of("model", model,
                "error", e.getClass().getSimpleName() + ": " + e.getMessage())});
    }

    /** Counts an answer given with a stale alias; emitted at most once a second, summed. */
    void countStale(String model) {
        staleServed.computeIfAbsent(model, m -> new AtomicLong()).incrementAndGet();
        long now = clock.millis();
        if (now - staleReportedAt < 1_000) {
            return;
        }
        staleReportedAt = now;
        staleServed.forEach((m, n) -> {
            long count = n.getAndSet(0);
            if (count > 0) {
                metrics.count("StaleModelServed", count, Map.of("Model", m));
                LOG.log(Level.WARNING, "served with a stale production alias", new Object[] {Map.of("model", m,
                        "count", count)});
            }
        });
    }

    /**
     * Loads the production models (at most {@code max}, by name) before the first request: one read of the
     * registry for every alias, one load per model. Nothing is loaded when the registry cannot be read.
     *
     * @return the models loaded, by name
     */
    public List<Served> warmUp(int max) {
        Map<String, Integer> models;
        try {
            models = registry.modelsWithAlias(ModelRegistry.PRODUCTION);
        } catch (RuntimeException e) {
            logUnreachable("registry", "*", e);
            return List.of();
        }
        List<Served> loaded = new ArrayList<>();
        for (String model : models.keySet().stream().sorted().limit(max).toList()) {
            // The scan already read each alias: no second read per model while the first event waits.
            aliases.putIfAbsent(model, new AliasState(models.get(model), clock.millis(), false));
            if (production(model) instanceof Found found) {
                loaded.add(found.served());
                rollout(model, found.served().version().version());
            }
        }
        return loaded;
    }
}
