package dev.mlops.functions.drift;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.DriftCheckStore;
import dev.mlops.aws.Log;
import dev.mlops.aws.Metrics;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StackConfig;

import java.util.List;
import java.util.Map;

/**
 * EventBridge schedule → {@link DriftMonitor} over every production model (or only the model named
 * in the event's {@code detail.model}, for an on-demand check) → the checks it wrote.
 */
public final class DriftCheckHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {

    private final DriftMonitor monitor;

    public DriftCheckHandler() {
        var dynamo = AwsClients.dynamoDb();
        this.monitor = new DriftMonitor(new S3ObjectStore(AwsClients.s3(), StackConfig.bucket()),
                new ModelRegistryStore(dynamo, StackConfig.modelsTable()),
                new DriftCheckStore(dynamo, StackConfig.driftTable()), Metrics.fromEnvironment());
    }

    public DriftCheckHandler(DriftMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        Object only = event.getDetail() == null ? null : event.getDetail().get("model");
        List<DriftCheckStore.DriftCheck> checks = only == null ? monitor.checkAll() : List.of(monitor.check(only.toString()));
        checks.forEach(c -> Log.info("drift check", Map.of("model", c.model(), "check_id", c.checkId(),
                "samples", c.samples(), "drift_detected", c.driftDetected(), "drifted_features", c.driftedFeatures())));
        return Map.of("checks", checks);
    }
}
