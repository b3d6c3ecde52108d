package dev.mlops.functions.drift;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.Json;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.monitoring.DriftService;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * EventBridge schedule → {@link DriftService} over every production model (or only the model named
 * in the event's {@code detail.model}, for an on-demand check) → the checks it wrote (snake_case):
 * verdicts, report keys, and what each did about retraining.
 */
public final class DriftCheckHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {

    private final DriftService drift;
    private final PowertoolsMetrics metrics;

    public DriftCheckHandler() {
        Adapters aws = Adapters.fromEnvironment();
        this.metrics = aws.metrics();
        this.drift = new DriftService(aws.objectStore(), aws.modelRegistry(), aws.datasetCatalog(), aws.runLog(),
                aws.pipelineLauncher(), aws.driftCheckLog(), metrics, aws.registryEvents(), aws.clock(), Duration.ofSeconds(Long.parseLong(
                FunctionEnvironment.get("CAPTURE_SETTLE_SECONDS",
                        Long.toString(DriftService.DEFAULT_SETTLE.toSeconds())))));
    }

    public DriftCheckHandler(DriftService drift, PowertoolsMetrics metrics) {
        this.drift = drift;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        metrics.coldStart(context);
        Object only = event.getDetail() == null ? null : event.getDetail().get("model");
        List<DriftCheck> checks = only == null ? drift.checkAll() : List.of(drift.check(only.toString()));
        checks.forEach(c -> Log.info("drift check", Json.tree(c)));
        return Json.tree(Map.of("checks", checks));
    }
}
