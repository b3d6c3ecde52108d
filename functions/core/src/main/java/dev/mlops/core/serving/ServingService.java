package dev.mlops.core.serving;

import dev.mlops.core.Json;
import dev.mlops.core.Names;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The model API's rules: which version serves, what a valid request is, what every mistake
 * answers.
 *
 * <ul>
 *   <li><b>Which version.</b> The production alias is re-read when it is older than
 *       {@link #ALIAS_TTL_MILLIS}, on the {@code refresher} (a background thread in the function), so a
 *       promotion reaches a warm function within seconds and a request never waits for the registry
 *       once its model is loaded. {@code ?version=N} pins a registered version. Loaded models are kept
 *       per version.</li>
 *   <li><b>When a dependency wobbles.</b> If the registry or the artifact store cannot be reached, a
 *       model already loaded keeps answering with the last known alias; every such answer is counted
 *       ({@code StaleModelServed}) and the failed refresh is logged. A model that cannot be loaded
 *       answers 503 with the reason and {@code Retry-After}.</li>
 *   <li><b>Every answer</b> is JSON with a {@code request_id}: client mistakes are 4xx with a
 *       reason, a model that cannot serve is 503, and a fault of ours is a 500 that says nothing
 *       about the internals (the details are logged).</li>
 * </ul>
 */
public final class ServingService {

    /** An HTTP answer: status, JSON body and extra headers. */
    public record Reply(int status, String body, Map<String, String> headers) {
    }

    /**
     * One request.
     *
     * @param method    the HTTP method
     * @param target    the path after {@code /v1/models/}, segments URL-decoded: {@code iris:predict},
     *                  {@code iris}, {@code iris/metadata}
     * @param query     query parameters ({@code version})
     * @param body      the body (empty when none)
     * @param requestId the id every answer carries
     */
    public record Request(String method, String target, Map<String, String> query, byte[] body, String requestId) {

        public Request {
            query = query == null ? Map.of() : query;
            body = body == null ? new byte[0] : body;
        }

        public Request(String method, String target, byte[] body, String requestId) {
            this(method, target, Map.of(), body, requestId);
        }
    }

    static final long ALIAS_TTL_MILLIS = 2_000;

    /** Seconds a client should wait before asking again when no model can serve. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Versions pinned with {@code ?version=} kept loaded at once (production models are always kept). */
    static final int MAX_PINNED = 8;

    private static final Logger LOG = Logger.getLogger(ServingService.class.getName());

    /** The production alias as last read: the version, when it was read, and whether the last read failed. */
    private record AliasState(int version, long checkedAt, boolean stale) {
    }

    private record Served(ModelVersion version, Predictor predictor) {
    }

    /** Which model serves a request, or why none can. */
    private sealed interface Resolution permits Found, NotServed {
    }

    private record Found(Served served, boolean stale) implements Resolution {
    }

    /** {@code unreachable}: a dependency could not be reached (not a verdict on the model). */
    private record NotServed(int status, String reason, boolean unreachable) implements Resolution {
    }

    private record Failure(String reason, long at) {
    }

    /** A parsed {@code /v1/models/...} path: the model, the segments after it, the verb after a colon. */
    private record Route(String model, List<String> rest, String verb) {
    }

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final ArtifactLoader artifacts;
    private final CaptureSink capture;
    private final MetricsSink metrics;
    private final double captureSampleRate;
    private final DoubleSupplier random;
    private final int maxRequestBytes;
    private final Clock clock;
    private final Executor refresher;
    private final ModelCatalogView catalog;
    private final Map<String, AliasState> aliases = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** The production model served per model name. */
    private final Map<String, Served> production = new ConcurrentHashMap<>();
    /** Versions pinned with {@code ?version=}, keyed {@code model@version}. */
    private final Map<String, Served> pinned = new ConcurrentHashMap<>();
    /** Versions that could not be loaded, not retried within the TTL (the artifact is not fetched per request). */
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> staleServed = new ConcurrentHashMap<>();
    private volatile long staleReportedAt = Long.MIN_VALUE / 2;

    /** A service that re-reads aliases on the calling thread (tests, tools). */
    public ServingService(ObjectStore store, ModelRegistry registry, CaptureSink capture, MetricsSink metrics,
                          double captureSampleRate, DoubleSupplier random, int maxRequestBytes, Clock clock) {
        this(store, registry, capture, metrics, captureSampleRate, random, maxRequestBytes, clock, Runnable::run);
    }

    /**
     * @param refresher where expired aliases are re-read; a background executor keeps the registry off
     *                  the request path
     */
    public ServingService(ObjectStore store, ModelRegistry registry, CaptureSink capture, MetricsSink metrics,
                          double captureSampleRate, DoubleSupplier random, int maxRequestBytes, Clock clock,
                          Executor refresher) {
        this.store = store;
        this.registry = registry;
        this.artifacts = new ArtifactLoader(store);
        this.capture = capture;
        this.metrics = metrics;
        this.captureSampleRate = captureSampleRate;
        this.random = random;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
        this.refresher = refresher;
        this.catalog = new ModelCatalogView(store, registry);
    }

    /**
     * Forgets which version production of every model pointed at, so the next request re-reads the alias:
     * called when a registry event says production moved and on a SnapStart restore (the short re-read
     * period covers instances that do not receive the event). Loaded models are kept.
     */
    public void invalidateAll() {
        aliases.clear();
    }

    /** Handles {@code METHOD /v1/models/{target}}; never throws, every answer has the request id. */
    public Reply handle(Request request) {
        return handle(request, true);
    }

    /**
     * Handles a request; {@code capture} false leaves it out of the captured traffic (warm-up requests).
     */
    public Reply handle(Request request, boolean capture) {
        String requestId = request.requestId();
        try {
            return route(request, capture);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request failed", new Object[] {Map.of("request_id", String.valueOf(requestId),
                    "error", e.getClass().getName() + ": " + e.getMessage())});
            return error(500, "internal error; quote the request_id when you report it", requestId);
        }
    }

    private Reply route(Request request, boolean capture) {
        String requestId = request.requestId();
        Route route = parse(request.target());
        if (route == null) {
            return error(404, "no model in the path: use /v1/models/{model}:predict", requestId);
        }
        if (!Names.isValid(route.model())) {
            return error(400, "invalid model name: use 1-40 characters of a-z, 0-9, '-' and '_'", requestId);
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(java.util.Locale.ROOT);
        boolean get = method.equals("GET");
        if (method.equals("POST") && route.rest().isEmpty() && route.verb().equals("predict")) {
            return predict(route.model(), request, capture);
        }
        if (method.equals("POST") && route.rest().isEmpty() && route.verb().equals("feedback")) {
            return feedback(route.model(), request);
        }
        if (get && route.verb().isEmpty() && route.rest().equals(List.of("metadata"))) {
            return metadata(route.model(), request);
        }
        if (get && route.verb().isEmpty()) {
            // The registry's read-only views: the model, a version, a version's metadata.
            return readOnly(request.target(), requestId);
        }
        return error(404, "unknown route " + method + " /v1/models/" + request.target()
                + ": use POST /v1/models/{model}:predict, POST /v1/models/{model}:feedback, GET /v1/models/{model}[/metadata]"
                + " or GET /v1/models/{model}/versions/{version}[/metadata]", requestId);
    }

    /** {@code iris:predict} → (iris, [], predict); {@code iris/metadata} → (iris, [metadata], ""). */
    private static Route parse(String target) {
        if (target == null || target.isEmpty()) {
            return null;
        }
        List<String> segments = List.of(target.split("/", -1));
        String last = segments.get(segments.size() - 1);
        int colon = last.lastIndexOf(':');
        String verb = colon < 0 ? "" : last.substring(colon + 1);
        List<String> plain = new ArrayList<>(segments);
        plain.set(plain.size() - 1, colon < 0 ? last : last.substring(0, colon));
        return new Route(plain.get(0), List.copyOf(plain.subList(1, plain.size())), verb);
    }

    private Reply predict(String model, Request request, boolean capture) {
        String requestId = request.requestId();
        byte[] body = request.body();
        if (body.length > maxRequestBytes) {
            return error(413, "request body is " + body.length + " bytes; the limit is " + maxRequestBytes, requestId);
        }
        PredictRequest parsed;
        try {
            parsed = PredictRequest.parse(body);
        } catch (ContractException e) {
            return error(400, e.getMessage(), requestId);
        }
        Resolution resolution;
        try {
            resolution = resolve(model, request.query());
        } catch (ContractException e) {
            return error(400, e.getMessage(), requestId);
        }
        if (resolution instanceof NotServed notServed) {
            return error(notServed.status(), notServed.reason(), requestId);
        }
        Found found = (Found) resolution;
        List<Prediction> predictions;
        try {
            predictions = found.served().predictor().predict(parsed.instances());
        } catch (InvalidInstanceException e) {
            return error(400, parsed.columnar() ? columnarMessage(e) : e.getMessage(), requestId);
        }
        int version = found.served().version().version();
        if (found.stale()) {
            countStale(model);
        }
        Map<String, Object> response = new LinkedHashMap<>(4);
        if (parsed.columnar()) {
            response.put("outputs", columns(predictions, found.served().predictor().signature().classes()));
        } else {
            response.put("predictions", predictions);
        }
        response.put("model_version", version);
        response.put("request_id", requestId);
        if (capture) {
            capture(model, version, requestId, parsed.instances(), predictions);
        }
        return new Reply(200, Json.string(response), Map.of());
    }

    /**
     * Ground-truth labels ({@link Feedback}): checked against the classes of the model production serves, then
     * stored before the answer, so a 200 means they are kept.
     */
    private Reply feedback(String model, Request request) {
        String requestId = request.requestId();
        if (request.body().length > maxRequestBytes) {
            return error(413, "request body is " + request.body().length + " bytes; the limit is " + maxRequestBytes,
                    requestId);
        }
        if (!request.query().isEmpty()) {
            return error(400, "unknown query parameter \"" + request.query().keySet().iterator().next()
                    + "\": feedback takes none", requestId);
        }
        Resolution resolution = production(model);
        if (resolution instanceof NotServed notServed) {
            return error(notServed.status(), notServed.reason(), requestId);
        }
        List<String> classes = ((Found) resolution).served().predictor().signature().classes();
        List<Feedback.Label> labels;
        try {
            labels = Feedback.parse(request.body(), model, classes, clock.instant());
        } catch (ContractException e) {
            return error(400, e.getMessage(), requestId);
        }
        try {
            Feedback.store(store, model, requestId, labels);
        } catch (RuntimeException e) {
            logUnreachable("artifact store", model, e);
            return error(503, "the feedback could not be stored; send it again", requestId);
        }
        metrics.count("FeedbackReceived", labels.size(), Map.of("Model", model));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", labels.size());
        body.put("request_id", requestId);
        return new Reply(200, Json.string(body), Map.of());
    }

    /** The encoder's message with the columnar request's field path ({@code inputs.f[2]}). */
    private static String columnarMessage(InvalidInstanceException e) {
        String message = e.getMessage();
        String prefix = e.index() < 0 ? "instances: " : "instances[" + e.index() + "]"
                + (e.field() == null ? "" : "." + e.field()) + ": ";
        String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        if (e.index() < 0) {
            return "inputs: " + detail;
        }
        return (e.field() == null ? "inputs[" + e.index() + "]" : "inputs." + e.field() + "[" + e.index() + "]")
                + ": " + detail;
    }

    private static Map<String, Object> columns(List<Prediction> predictions, List<String> classes) {
        List<String> labels = new ArrayList<>(predictions.size());
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (String c : classes) {
            scores.put(c, new ArrayList<>(predictions.size()));
        }
        for (Prediction p : predictions) {
            labels.add(p.label());
            p.scores().forEach((c, s) -> scores.computeIfAbsent(c, k -> new ArrayList<>()).add(s));
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("label", labels);
        outputs.put("scores", scores);
        return outputs;
    }

    private Reply metadata(String model, Request request) {
        Resolution resolution;
        try {
            resolution = resolve(model, request.query());
        } catch (ContractException e) {
            return error(400, e.getMessage(), request.requestId());
        }
        if (resolution instanceof NotServed notServed) {
            return error(notServed.status(), notServed.reason(), request.requestId());
        }
        Served served = ((Found) resolution).served();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", model);
        spec.put("signature_name", "");
        spec.put("version", Integer.toString(served.version().version()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_spec", spec);
        body.put("metadata", Map.of("signature", SignatureDescription.of(served.predictor())));
        body.put("request_id", request.requestId());
        return new Reply(200, Json.string(body), Map.of());
    }

    /** The production model, or the version pinned by {@code ?version=N}. */
    private Resolution resolve(String model, Map<String, String> query) {
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

    private Resolution production(String model) {
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
        if (current != null && ((NotServed) next).unreachable()) {
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
                    ? new NotServed(503, "model " + model + " has no production version", false)
                    : new NotServed(404, "model " + model + " does not exist", false);
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
            return new NotServed(503, failure.reason(), false);
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
                    ? new NotServed(404, "model " + model + " has no version " + version, false)
                    : new NotServed(503, "production of " + model + " points at v" + version
                            + ", which the registry does not have", false);
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
            if (failures.size() > 64) {
                failures.clear();
            }
            failures.put(key, new Failure(reason, now));
            return new NotServed(503, reason, false);
        }
        failures.remove(key);
        return new Found(new Served(v.get(), ((ArtifactLoader.Ready) result).predictor()), false);
    }

    private static NotServed unreachable(String reason) {
        return new NotServed(503, reason, true);
    }

    private static void logUnreachable(String dependency, String model, RuntimeException e) {
        LOG.log(Level.WARNING, dependency + " unreachable", new Object[] {Map.of("model", model,
                "error", e.getClass().getSimpleName() + ": " + e.getMessage())});
    }

    /** Counts an answer given with a stale alias; emitted at most once a second, summed. */
    private void countStale(String model) {
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
     * One warm-up request per production model (at most {@code max}): reads the models with a
     * production alias, loads each and returns a {@code :predict} request with one row the model can
     * score. Nothing is returned when the registry cannot be read.
     */
    public List<Request> warmUpRequests(int max) {
        Map<String, Integer> models;
        try {
            models = registry.modelsWithAlias(ModelRegistry.PRODUCTION);
        } catch (RuntimeException e) {
            logUnreachable("registry", "*", e);
            return List.of();
        }
        List<Request> requests = new ArrayList<>();
        for (String model : models.keySet().stream().sorted().limit(max).toList()) {
            // The scan already read each alias: no second read per model while the first event waits.
            aliases.putIfAbsent(model, new AliasState(models.get(model), clock.millis(), false));
            if (production(model) instanceof Found found) {
                Map<String, Object> row = ExampleRow.of(found.served().predictor());
                requests.add(new Request("POST", model + ":predict",
                        Json.bytes(Map.of("instances", List.of(row))), "warm-up"));
            }
        }
        return requests;
    }

    /** The catalog's answer; the registry being unreachable is a 503 like everywhere else. */
    private Reply readOnly(String target, String requestId) {
        try {
            return catalog.get(target, requestId);
        } catch (RuntimeException e) {
            logUnreachable("registry", target, e);
            return error(503, "the model registry is unreachable; retry later", requestId);
        }
    }

    /** Captures a sampled request with its response; a capture failure never fails the prediction. */
    private void capture(String model, int version, String requestId, List<Map<String, Object>> instances,
                         List<Prediction> predictions) {
        if (captureSampleRate <= 0 || random.getAsDouble() >= captureSampleRate) {
            return;
        }
        try {
            capture.capture(new CaptureSink.CapturedRequest(requestId, model, version, clock.instant(), instances,
                    predictions));
        } catch (RuntimeException e) {
            // The client gets its prediction regardless; the loss is counted.
            metrics.count("CaptureFailures", 1, Map.of("Model", model));
        }
    }

    private static Reply error(int status, String message, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("request_id", requestId);
        return new Reply(status, Json.string(body), status == 503
                ? Map.of("retry-after", Integer.toString(RETRY_AFTER_SECONDS)) : Map.of());
    }
}
