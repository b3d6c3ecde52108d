package dev.mlops.functions.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.DriftCheckStore;
import dev.mlops.aws.DriftCheckStore.DriftCheck;
import dev.mlops.aws.Metrics;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.ModelRegistryStore.ModelVersion;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.FeatureProfile;
import dev.mlops.core.data.Profile;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftInput;
import dev.mlops.core.drift.DriftReport;
import dev.mlops.core.drift.DriftThresholds;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Compares what a production model saw since its last check with the data it was trained on.
 * The window is (last check's end, now]; the reference is the training dataset's profile.
 */
public final class DriftMonitor {

    private static final DateTimeFormatter CHECK_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final S3ObjectStore store;
    private final ModelRegistryStore registry;
    private final DriftCheckStore checks;
    private final Metrics metrics;

    public DriftMonitor(S3ObjectStore store, ModelRegistryStore registry, DriftCheckStore checks, Metrics metrics) {
        this.store = store;
        this.registry = registry;
        this.checks = checks;
        this.metrics = metrics;
    }

    /** Checks every model that has a production version. */
    public List<DriftCheck> checkAll() {
        List<DriftCheck> out = new ArrayList<>();
        for (String model : registry.modelsWithAlias(ModelRegistryStore.PRODUCTION).keySet()) {
            out.add(check(model));
        }
        return out;
    }

    /** Checks one model and writes {@code monitoring/<model>/<check>/drift.json}. */
    public DriftCheck check(String model) {
        Names.require("model", model);
        int version = registry.alias(model, ModelRegistryStore.PRODUCTION)
                .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no production version"));
        ModelVersion v = registry.version(model, version).orElseThrow();
        Profile baseline = store.findJson(v.profileKey(), Profile.class)
                .orElseThrow(() -> new IllegalStateException("no training profile at " + v.profileKey()));

        Instant now = Instant.now();
        Instant since = checks.latest(model).map(c -> Instant.parse(c.windowEnd())).orElse(Instant.EPOCH);
        List<JsonNode> captured = new ArrayList<>();
        // Captures are partitioned by day: skip the days before the window instead of listing all history.
        String startAfter = since.equals(Instant.EPOCH) ? null
                : Layout.capturePartition(model, since.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1));
        for (S3ObjectStore.Listed object : store.list(Layout.capturePrefix(model), startAfter)) {
            if (object.lastModified().isAfter(since) && !object.lastModified().isAfter(now)) {
                String text = new String(store.get(object.key(), null).bytes(), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        captured.add(Json.read(line.getBytes(StandardCharsets.UTF_8), JsonNode.class));
                    }
                }
            }
        }

        DriftReport report = DriftDetector.detect(reference(baseline), current(baseline, captured), DriftThresholds.defaults());
        String checkId = CHECK_ID.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        String reportKey = Layout.monitoringPrefix(model, checkId) + "drift.json";
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("model", model);
        document.put("model_version", version);
        document.put("check_id", checkId);
        document.put("window_start", since.toString());
        document.put("window_end", now.toString());
        document.put("baseline", v.profileKey());
        document.put("report", report);
        store.putJson(reportKey, document);

        DriftCheck check = new DriftCheck(model, checkId, version, since.toString(), now.toString(), captured.size(),
                report.driftDetected(), report.driftedFeatures(), reportKey);
        checks.put(check);
        metrics.emit("DriftDetected", report.driftDetected() ? 1 : 0, "Count", Map.of("Model", model));
        metrics.emit("FeaturesDrifted", report.driftedFeatures().size(), "Count", Map.of("Model", model));
        return check;
    }

    private static DriftInput reference(Profile p) {
        Map<String, double[]> numeric = new HashMap<>();
        Map<String, Map<String, Long>> categorical = new HashMap<>();
        for (FeatureProfile f : p.features().values()) {
            if (f.type() == ColumnType.NUMERIC) {
                numeric.put(f.name(), f.sample() == null ? new double[0] : f.sample());
            } else {
                categorical.put(f.name(), f.categories() == null ? Map.of() : f.categories());
            }
        }
        return new DriftInput(numeric, categorical, p.labels(), p.rows());
    }

    private static DriftInput current(Profile baseline, List<JsonNode> captured) {
        Map<String, List<Double>> numbers = new HashMap<>();
        Map<String, Map<String, Long>> categorical = new HashMap<>();
        Map<String, Long> predictions = new HashMap<>();
        long count = 0;
        for (JsonNode record : captured) {
            JsonNode instances = record.path("instances");
            JsonNode preds = record.path("predictions");
            for (int i = 0; i < instances.size(); i++) {
                count++;
                JsonNode instance = instances.get(i);
                for (FeatureProfile f : baseline.features().values()) {
                    JsonNode value = instance.get(f.name());
                    if (value == null || value.isNull()) {
                        continue;
                    }
                    if (f.type() == ColumnType.NUMERIC) {
                        double d = value.isNumber() ? value.asDouble() : parseOrNaN(value.asText());
                        if (!Double.isNaN(d)) {
                            numbers.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(d);
                        }
                    } else {
                        categorical.computeIfAbsent(f.name(), k -> new HashMap<>()).merge(value.asText(), 1L, Long::sum);
                    }
                }
                JsonNode label = preds.path(i).path("label");
                if (!label.isMissingNode()) {
                    predictions.merge(label.asText(), 1L, Long::sum);
                }
            }
        }
        Map<String, double[]> numeric = new HashMap<>();
        numbers.forEach((k, list) -> numeric.put(k, list.stream().mapToDouble(Double::doubleValue).toArray()));
        return new DriftInput(numeric, categorical, predictions, count);
    }

    private static double parseOrNaN(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
