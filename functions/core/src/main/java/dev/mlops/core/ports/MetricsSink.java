package dev.mlops.core.ports;

import java.util.Map;

/** Operational metrics (CloudWatch on AWS). Emitting a metric never fails the caller. */
public interface MetricsSink {

    /** Counts {@code value} occurrences of {@code name} under the given dimensions. */
    void count(String name, double value, Map<String, String> dimensions);

    /** A sink that drops everything. */
    MetricsSink NONE = (name, value, dimensions) -> { };
}
