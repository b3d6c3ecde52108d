package dev.mlops.aws;

import dev.mlops.core.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON line on standard output, which Lambda
 * ships to CloudWatch Logs and CloudWatch turns into metrics. No API call, no extra latency.
 */
public final class Metrics {

    private final String namespace;

    public Metrics(String namespace) {
        this.namespace = namespace;
    }

    /** Namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, as the template sets it. */
    public static Metrics fromEnvironment() {
        return new Metrics(FunctionEnvironment.get("POWERTOOLS_METRICS_NAMESPACE", "mlops"));
    }

    /** Emits one metric with its dimensions. */
    public void emit(String name, double value, String unit, Map<String, String> dimensions) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_aws", Map.of(
                "Timestamp", System.currentTimeMillis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", namespace,
                        "Dimensions", List.of(List.copyOf(dimensions.keySet())),
                        "Metrics", List.of(Map.of("Name", name, "Unit", unit))))));
        doc.putAll(dimensions);
        doc.put(name, value);
        System.out.println(Json.string(doc));
    }
}
