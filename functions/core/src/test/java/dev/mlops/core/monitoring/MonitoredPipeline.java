package dev.mlops.core.monitoring;

import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.PipelineHarness;

/**
 * The pipeline in memory with what monitoring needs around it: a serving front that captures every request
 * (sampling 1.0) and the drift service reading those captures, all on the harness's clock and stores.
 */
final class MonitoredPipeline {

    final PipelineHarness p = new PipelineHarness();
    final DriftService drift = new DriftService(p.store, p.registry, p.datasets, p.runs, p.launcher,
            p.driftChecks, p.metrics, p.events, p.clock, DriftService.DEFAULT_SETTLE);
    final CaptureBatcher capture = new CaptureBatcher(p.store, CaptureBatcher.Settings.defaults(), p.clock,
            () -> "test");
    final ServingService serving = new ServingService(p.store, p.registry, capture, p.metrics, 1.0, () -> 0.0,
            1 << 20, p.clock);
}
