package dev.mlops.core.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.FeatureProfile;
import dev.mlops.core.data.Profile;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftInput;
import dev.mlops.core.drift.DriftReport;
import dev.mlops.core.drift.DriftThresholds;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
public final class DriftService {

    private static final DateTimeFormatter CHECK_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final DriftCheckLog checks;
    private final MetricsSink metrics;
    private final Clock clock;

    public DriftService(ObjectStore store, ModelRegistry registry, DriftCheckLog checks, MetricsSink metrics,
                        Clock clock) {
        this.store = store;
        this.registry = registry;
        this.checks = checks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Checks every model that has a production version. */
    public List<DriftCheck> checkAll() {
        List<DriftCheck> out = new ArrayList<>();
        for (String model : registry.modelsWithAlias(ModelRegistry.PRODUCTION).keySet()) {
            out.add(check(model));
        }
        return out;
    }

    /**
     * Checks one model and writes {@code monitoring/<model>/<check>/drift.json}.
     *
     * @throws ContractException  when the model has no production version
     * @throws IntegrityException when its training profile is missing
     */
    public DriftCheck check(String model) {
        Names.require("model", model);
        int version = registry.alias(model, ModelRegistry.PRODUCTION)
                .orElseThrow(() -> new ContractException("model " + model + " has no production version"));
        ModelVersion v = registry.find(model, version)
                .orElseThrow(() -> new IntegrityException("production of " + model + " points at missing v" + version));
        String profileKey = v.lineage().profileKey();
        Profile baseline = store.findJson(profileKey, Profile.class)
                .orElseThrow(() -> new IntegrityException("no training profile at " + profileKey));

        Instant now = clock.instant();
        Instant since = checks.latest(model).map(DriftCheck::windowEnd).orElse(Instant.EPOCH);
        List<JsonNode> captured = new ArrayList<>();
        // Captures are partitioned by day: skip the days before the window instead of listing all history.
        String startAfter = since.equals(Instant.EPOCH) ? null
                : Layout.capturePartition(model, since.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1));
        for (ObjectStore.ObjectInfo object : store.list(Layout.capturePrefix(model), startAfter)) {
            if (object.lastModified().isAfter(since) && !object.lastModified().isAfter(now)) {
                store.find(object.key()).ifPresent(o -> {
                    for (String line : new String(o.bytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            captured.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                });
            }
        }

        DriftReport report = DriftDetector.detect(reference(baseline), current(baseline, captured),
                DriftThresholds.defaults());
        String checkId = CHECK_ID.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        String reportKey = Layout.monitoringPrefix(model, checkId) + "drift.json";
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("model", model);
        document.put("model_version", version);
        document.put("check_id", checkId);
        document.put("window_start", since.toString());
        document.put("window_end", now.toString());
        document.put("baseline", profileKey);
        document.put("report", report);
        store.putJson(reportKey, document);

        DriftCheck check = new DriftCheck(model, checkId, version, since, now, report.currentCount(),
                report.driftDetected(), report.driftedFeatures(), reportKey);
        checks.record(check);
        metrics.count("DriftDetected", report.driftDetected() ? 1 : 0, Map.of("Model", model));
        metrics.count("FeaturesDrifted", report.driftedFeatures().size(), Map.of("Model", model));
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
