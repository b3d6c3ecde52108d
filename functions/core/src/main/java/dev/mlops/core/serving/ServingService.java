package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Names;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.model.InvalidInstanceException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The model API's rules: which version serves, what a valid request is, what every mistake
 * answers. The production alias is re-read at most every {@link #ALIAS_TTL_MILLIS}, so a promotion
 * reaches a warm function within seconds; a loaded model is kept per version. Every client mistake
 * is a 4xx with a reason; a model that cannot be served is a 503 with the reason; nothing about
 * the request is trusted.
 */
public final class ServingService {

    /** An HTTP answer: status, JSON body and extra headers. */
    public record Reply(int status, String body, Map<String, String> headers) {
    }

    /** One request: the method, the {@code {model}} path segment ({@code name} or {@code name:verb}) and the body. */
    public record Request(String method, String target, byte[] body, String requestId) {
    }

    static final long ALIAS_TTL_MILLIS = 2_000;

    /** Seconds a client should wait before asking again when no model can serve. */
    static final int RETRY_AFTER_SECONDS = 5;

    private record CachedAlias(int version, long readAt) {
    }

    private record Served(ModelVersion version, Predictor predictor) {
    }

    /** Which model serves a request, or why none can. */
    private sealed interface Resolution permits Found, NotServed {
    }

    private record Found(Served served) implements Resolution {
    }

    private record NotServed(int status, String reason) implements Resolution {
    }

    private final ModelRegistry registry;
    private final ArtifactLoader artifacts;
    private final CaptureSink capture;
    private final MetricsSink metrics;
    private final double captureSampleRate;
    private final DoubleSupplier random;
    private final int maxRequestBytes;
    private final Clock clock;
    private final Map<String, CachedAlias> aliases = new ConcurrentHashMap<>();
    private final Map<String, Served> loaded = new ConcurrentHashMap<>();
    private final ModelCatalogView catalog;

    public ServingService(ObjectStore store, ModelRegistry registry, CaptureSink capture, MetricsSink metrics,
                          double captureSampleRate, DoubleSupplier random, int maxRequestBytes, Clock clock) {
        this.registry = registry;
        this.artifacts = new ArtifactLoader(store);
        this.capture = capture;
        this.metrics = metrics;
        this.captureSampleRate = captureSampleRate;
        this.random = random;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
        this.catalog = new ModelCatalogView(store, registry);
    }

    /**
     * Forgets which version production of {@code model} pointed at, so the next request re-reads
     * the alias: called when a registry event says production moved (the short re-read period
     * covers instances that do not receive the event).
     */
    public void invalidate(String model) {
        aliases.remove(model);
    }

    /** {@link #invalidate} for every model. */
    public void invalidateAll() {
        aliases.clear();
    }

    /** Handles {@code METHOD /v1/models/{target}} where target is {@code name} or {@code name:verb}. */
    public Reply handle(Request request) {
        String target = request.target();
        String requestId = request.requestId();
        if (target == null || target.isEmpty()) {
            return error(404, "no model in the path: use /v1/models/{model}:predict", requestId);
        }
        if ("GET".equalsIgnoreCase(request.method()) && target.indexOf('/') > 0) {
            String model = target.substring(0, target.indexOf('/'));
            return Names.isValid(model) ? catalog.get(target, requestId)
                    : error(400, "invalid model name: use 1-40 characters of a-z, 0-9, '-' and '_'", requestId);
        }
        int colon = target.lastIndexOf(':');
        String model = colon < 0 ? target : target.substring(0, colon);
        String verb = colon < 0 ? "" : target.substring(colon + 1);
        if (!Names.isValid(model)) {
            return error(400, "invalid model name: use 1-40 characters of a-z, 0-9, '-' and '_'", requestId);
        }
        if ("GET".equalsIgnoreCase(request.method()) && verb.isEmpty()) {
            return catalog.get(model, requestId);
        }
        if (!"POST".equalsIgnoreCase(request.method()) || !"predict".equals(verb)) {
            return error(404, "unknown route " + request.method() + " /v1/models/" + target
                    + ": use POST /v1/models/{model}:predict or GET /v1/models/{model}", requestId);
        }
        return predict(model, request.body(), requestId);
    }

    private Reply predict(String model, byte[] body, String requestId) {
        if (body.length > maxRequestBytes) {
            return error(413, "request body is " + body.length + " bytes; the limit is " + maxRequestBytes, requestId);
        }
        List<Map<String, Object>> instances;
        try {
            instances = parseInstances(body);
        } catch (ContractException e) {
            return error(400, e.getMessage(), requestId);
        }
        Resolution resolution = production(model);
        if (resolution instanceof NotServed notServed) {
            return error(notServed.status(), notServed.reason(), requestId);
        }
        Served production = ((Found) resolution).served();
        List<Prediction> predictions;
        try {
            predictions = production.predictor().predict(instances);
        } catch (InvalidInstanceException e) {
            return error(400, e.getMessage(), requestId);
        }
        int version = production.version().version();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("predictions", predictions);
        response.put("model_version", version);
        response.put("request_id", requestId);
        capture(model, version, requestId, instances, predictions);
        return new Reply(200, Json.string(response), Map.of());
    }

    private static List<Map<String, Object>> parseInstances(byte[] body) {
        if (body.length == 0) {
            throw new ContractException("empty body: send {\"instances\": [{feature: value, ...}]}");
        }
        JsonNode root;
        try {
            root = Json.tree(body);
        } catch (ContractException e) {
            throw new ContractException("body is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new ContractException("body must be a JSON object with \"instances\"");
        }
        JsonNode array = root.get("instances");
        if (array == null || !array.isArray()) {
            throw new ContractException("\"instances\" must be an array of objects");
        }
        List<Map<String, Object>> instances = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode instance = array.get(i);
            if (!instance.isObject()) {
                throw new ContractException("instances[" + i + "] must be an object of feature: value");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            instance.fields().forEachRemaining(e -> values.put(e.getKey(), scalar(e.getValue())));
            instances.add(values);
        }
        return instances;
    }

    /** A JSON value as the encoder takes it: numbers, strings, booleans, null; objects and arrays as such. */
    private static Object scalar(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isArray() ? List.of() : Map.of();
    }

    private Resolution production(String model) {
        long now = clock.millis();
        CachedAlias alias = aliases.get(model);
        if (alias == null || now - alias.readAt() > ALIAS_TTL_MILLIS) {
            Optional<Integer> version = registry.alias(model, ModelRegistry.PRODUCTION);
            if (version.isEmpty()) {
                aliases.remove(model);
                return registry.versions(model).isEmpty()
                        ? new NotServed(404, "model " + model + " does not exist")
                        : new NotServed(503, "model " + model + " has no production version");
            }
            alias = new CachedAlias(version.get(), now);
            aliases.put(model, alias);
        }
        int version = alias.version();
        Served current = loaded.get(model);
        if (current != null && current.version().version() == version) {
            return new Found(current);
        }
        Optional<ModelVersion> v = registry.find(model, version);
        if (v.isEmpty()) {
            return new NotServed(503, "production of " + model + " points at v" + version
                    + ", which the registry does not have");
        }
        ArtifactLoader.Result result = artifacts.load(v.get().artifact());
        if (result instanceof ArtifactLoader.Unavailable u) {
            return new NotServed(503, "model " + model + " v" + version + " cannot be loaded: " + u.reason());
        }
        Served fresh = new Served(v.get(), ((ArtifactLoader.Ready) result).predictor());
        loaded.put(model, fresh);
        return new Found(fresh);
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
