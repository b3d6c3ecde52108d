package dev.mlops.functions.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.aws.Log;
import dev.mlops.aws.ModelLoader;
import dev.mlops.aws.ModelLoader.LoadedModel;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.ModelRegistryStore.ModelVersion;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.model.InvalidInstanceException;
import dev.mlops.core.model.Prediction;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serves the model API. The production alias is re-read at most every {@link #ALIAS_TTL_MILLIS},
 * so a promotion reaches a warm function within seconds; a loaded model is kept per version.
 * Every client mistake is a 4xx with a reason; nothing about the request is trusted.
 */
public final class ModelService {

    /** A status code and a JSON body. */
    public record Reply(int status, String body) {
    }

    static final long ALIAS_TTL_MILLIS = 2_000;

    private record CachedAlias(int version, long readAt) {
    }

    private final S3ObjectStore store;
    private final ModelRegistryStore registry;
    private final double captureSampleRate;
    private final int maxRequestBytes;
    private final Map<String, CachedAlias> aliases = new ConcurrentHashMap<>();
    private final Map<String, LoadedModel> loaded = new ConcurrentHashMap<>();

    public ModelService(S3ObjectStore store, ModelRegistryStore registry, double captureSampleRate, int maxRequestBytes) {
        this.store = store;
        this.registry = registry;
        this.captureSampleRate = captureSampleRate;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Handles {@code METHOD /v1/models/{target}} where target is {@code name} or {@code name:verb}. */
    public Reply handle(String method, String target, byte[] body, String requestId) {
        if (target == null || target.isEmpty()) {
            return error(404, "no model in the path: use /v1/models/{model}:predict", requestId);
        }
        int colon = target.lastIndexOf(':');
        String model = colon < 0 ? target : target.substring(0, colon);
        String verb = colon < 0 ? "" : target.substring(colon + 1);
        if (!Names.isValid(model)) {
            return error(400, "invalid model name: use 1-40 characters of a-z, 0-9, '-' and '_'", requestId);
        }
        if ("GET".equalsIgnoreCase(method) && verb.isEmpty()) {
            return describe(model, requestId);
        }
        if (!"POST".equalsIgnoreCase(method) || !"predict".equals(verb)) {
            return error(404, "unknown route " + method + " /v1/models/" + target
                    + ": use POST /v1/models/{model}:predict or GET /v1/models/{model}", requestId);
        }
        return predict(model, body, requestId);
    }

    private Reply predict(String model, byte[] body, String requestId) {
        if (body.length > maxRequestBytes) {
            return error(413, "request body is " + body.length + " bytes; the limit is " + maxRequestBytes, requestId);
        }
        List<Map<String, Object>> instances;
        try {
            instances = parseInstances(body);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage(), requestId);
        }
        LoadedModel production;
        try {
            production = production(model);
        } catch (IllegalArgumentException e) {
            return error(404, e.getMessage(), requestId);
        }
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
        return new Reply(200, Json.string(response));
    }

    private static List<Map<String, Object>> parseInstances(byte[] body) {
        if (body.length == 0) {
            throw new IllegalArgumentException("empty body: send {\"instances\": [{feature: value, ...}]}");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object with \"instances\"");
        }
        JsonNode array = root.get("instances");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("\"instances\" must be an array of objects");
        }
        List<Map<String, Object>> instances = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode instance = array.get(i);
            if (!instance.isObject()) {
                throw new IllegalArgumentException("instances[" + i + "] must be an object of feature: value");
            }
            instances.add(Json.MAPPER.convertValue((ObjectNode) instance, Json.MAPPER.getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, Object.class)));
        }
        return instances;
    }

    private LoadedModel production(String model) {
        long now = System.currentTimeMillis();
        CachedAlias alias = aliases.get(model);
        if (alias == null || now - alias.readAt() > ALIAS_TTL_MILLIS) {
            int version = registry.alias(model, ModelRegistryStore.PRODUCTION)
                    .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no production version"));
            alias = new CachedAlias(version, now);
            aliases.put(model, alias);
        }
        int version = alias.version();
        LoadedModel current = loaded.get(model);
        if (current != null && current.version().version() == version) {
            return current;
        }
        ModelVersion v = registry.version(model, version)
                .orElseThrow(() -> new IllegalStateException("production points at missing " + model + " v" + version));
        LoadedModel fresh = ModelLoader.load(store, v);
        loaded.put(model, fresh);
        return fresh;
    }

    private Reply describe(String model, String requestId) {
        List<ModelVersion> versions = registry.versions(model);
        if (versions.isEmpty()) {
            return error(404, "model " + model + " has no versions", requestId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("production_version", registry.alias(model, ModelRegistryStore.PRODUCTION).orElse(null));
        List<Map<String, Object>> list = new ArrayList<>();
        for (ModelVersion v : versions) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("version", v.version());
            entry.put("blessed", v.blessed());
            entry.put("reason", v.reason());
            entry.put("accuracy", v.accuracy());
            entry.put("dataset_version", v.datasetVersion());
            entry.put("created_at", v.createdAt());
            list.add(entry);
        }
        body.put("versions", list);
        return new Reply(200, Json.string(body));
    }

    /** Captures a sampled request with its response; a capture failure never fails the prediction. */
    private void capture(String model, int version, String requestId, List<Map<String, Object>> instances,
                         List<Prediction> predictions) {
        if (captureSampleRate <= 0 || ThreadLocalRandom.current().nextDouble() >= captureSampleRate) {
            return;
        }
        try {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("request_id", requestId);
            record.put("model", model);
            record.put("model_version", version);
            record.put("timestamp", Instant.now().toString());
            record.put("instances", instances);
            record.put("predictions", predictions);
            byte[] line = (Json.string(record) + "\n").getBytes(StandardCharsets.UTF_8);
            store.put(Layout.captureKey(model, LocalDate.now(ZoneOffset.UTC), requestId), line, "application/x-ndjson");
        } catch (RuntimeException e) {
            Log.warn("capture failed", Map.of("request_id", requestId, "model", model,
                    "error", e.getClass().getName() + ": " + e.getMessage()));
        }
    }

    private static Reply error(int status, String message, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("request_id", requestId);
        return new Reply(status, Json.string(body));
    }
}
