package dev.mlops.core.serving;

import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model API's read-only routes, in TensorFlow Serving's shapes plus the registry's own fields:
 * <ul>
 *   <li>{@code GET /v1/models/{model}}: {@code model_version_status}, one entry per version
 *       ({@code AVAILABLE} for the one production serves, {@code END} for the others), each with
 *       its blessing and reason, metrics, approval and tags;</li>
 *   <li>{@code GET /v1/models/{model}/versions/{v}}: the same for one version;</li>
 *   <li>{@code GET /v1/models/{model}/versions/{v}/metadata}: {@code model_spec} and the version's
 *       signature (features, types, allowed categories, classes).</li>
 * </ul>
 */
public final class ModelCatalogView {

    private final ModelRegistry registry;
    private final ArtifactLoader artifacts;

    public ModelCatalogView(ObjectStore store, ModelRegistry registry) {
        this.registry = registry;
        this.artifacts = new ArtifactLoader(store);
    }

    /**
     * Answers {@code GET /v1/models/{path}} where path is {@code model}, {@code model/versions/v}
     * or {@code model/versions/v/metadata}; anything else is a 404.
     */
    public ServingService.Reply get(String path, String requestId) {
        String[] parts = path.split("/", -1);
        String model = parts[0];
        if (parts.length == 1) {
            return model(model, requestId);
        }
        if (parts.length >= 3 && parts.length <= 4 && parts[1].equals("versions")
                && (parts.length == 3 || parts[3].equals("metadata"))) {
            Integer version = number(parts[2]);
            if (version == null) {
                return ServingService.Reply.error(400, "version must be a positive integer, got \"" + parts[2] + "\"", requestId);
            }
            return parts.length == 3 ? version(model, version, requestId) : metadata(model, version, requestId);
        }
        return ServingService.Reply.error(404, "unknown route GET /v1/models/" + path + ": use /v1/models/{model}, "
                + "/v1/models/{model}/versions/{version} or /v1/models/{model}/versions/{version}/metadata", requestId);
    }

    private ServingService.Reply model(String model, String requestId) {
        List<ModelVersion> versions = registry.versions(model);
        if (versions.isEmpty()) {
            return ServingService.Reply.error(404, "model " + model + " does not exist", requestId);
        }
        Integer production = registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
        List<Map<String, Object>> status = new ArrayList<>();
        for (ModelVersion v : versions) {
            status.add(status(v, production));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("production_version", production);
        body.put("model_version_status", status);
        body.put("request_id", requestId);
        return ServingService.Reply.ok(body);
    }

    private ServingService.Reply version(String model, int version, String requestId) {
        ModelVersion v = registry.find(model, version).orElse(null);
        if (v == null) {
            return notFound(model, version, requestId);
        }
        Integer production = registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("production_version", production);
        body.put("model_version_status", List.of(status(v, production)));
        body.put("request_id", requestId);
        return ServingService.Reply.ok(body);
    }

    private ServingService.Reply metadata(String model, int version, String requestId) {
        ModelVersion v = registry.find(model, version).orElse(null);
        if (v == null) {
            return notFound(model, version, requestId);
        }
        ArtifactLoader.Result loaded = artifacts.load(v.artifact());
        if (loaded instanceof ArtifactLoader.Unavailable u) {
            ServedModels.logUnloadable(model, version, u);
            return ServingService.Reply.error(503, "model " + model + " v" + version + " cannot be loaded: " + u.reason(), requestId);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", model);
        spec.put("signature_name", "");
        spec.put("version", Integer.toString(version));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("signature", SignatureDescription.of(((ArtifactLoader.Ready) loaded).predictor()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_spec", spec);
        body.put("metadata", metadata);
        body.put("request_id", requestId);
        return ServingService.Reply.ok(body);
    }

    /** One entry of {@code model_version_status}: TensorFlow Serving's fields, then ours. */
    private static Map<String, Object> status(ModelVersion v, Integer production) {
        boolean serving = Objects.equals(production, v.version());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("version", Integer.toString(v.version()));
        entry.put("state", serving ? "AVAILABLE" : "END");
        entry.put("status", Map.of("error_code", "OK", "error_message", ""));
        entry.put("production", serving);
        entry.put("created_at", v.createdAt().toString());
        entry.put("blessed", v.blessed());
        entry.put("reason", v.blessing().reason());
        entry.put("blessing", v.blessing());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", v.training().accuracy());
        metrics.put("macro_f1", v.training().macroF1());
        metrics.put("test_rows", v.training().testRows());
        entry.put("metrics", metrics);
        entry.put("approval", v.approval());
        entry.put("tags", v.tags());
        entry.put("dataset_version", v.lineage().datasetVersion());
        entry.put("run_id", v.lineage().runId());
        return entry;
    }

    private static Integer number(String s) {
        if (!s.matches("[0-9]{1,9}")) {
            return null;
        }
        int n = Integer.parseInt(s);
        return n > 0 ? n : null;
    }

    private ServingService.Reply notFound(String model, int version, String requestId) {
        return ServingService.Reply.error(404, registry.versions(model).isEmpty() ? "model " + model + " does not exist"
                : "model " + model + " has no version " + version, requestId);
    }
}
