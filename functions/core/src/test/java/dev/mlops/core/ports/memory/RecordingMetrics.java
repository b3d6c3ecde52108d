package dev.mlops.core.ports.memory;

import dev.mlops.core.ports.MetricsSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link MetricsSink} that keeps what was emitted. */
public final class RecordingMetrics implements MetricsSink {

    /** One emitted metric. */
    public record Emitted(String name, double value, Map<String, String> dimensions) {
    }

    private final List<Emitted> emitted = new ArrayList<>();

    @Override
    public synchronized void count(String name, double value, Map<String, String> dimensions) {
        emitted.add(new Emitted(name, value, Map.copyOf(dimensions)));
    }

    /** The total of a metric. */
    public synchronized double total(String name) {
        return emitted.stream().filter(e -> e.name().equals(name)).mapToDouble(Emitted::value).sum();
    }

    /** The total of a metric under exactly these dimensions. */
    public synchronized double total(String name, Map<String, String> dimensions) {
        return emitted.stream().filter(e -> e.name().equals(name) && e.dimensions().equals(dimensions))
                .mapToDouble(Emitted::value).sum();
    }
}
