package dev.mlops.aws;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.core.ports.MetricsSink;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link MetricsSink} on Powertools for AWS Lambda (Java) metrics: CloudWatch Embedded Metric
 * Format lines on standard output, which Lambda ships to CloudWatch Logs and CloudWatch turns into
 * metrics. No API call, no AspectJ: each metric is flushed with its own dimensions, and the handler
 * records the cold start itself. Namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, as the
 * template sets it.
 */
public final class PowertoolsMetrics implements MetricsSink {

    static {
        // Outside Lambda (the local runtime, tests) the EMF library would look for a CloudWatch agent
        // on TCP; standard output is what we want there too.
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null && System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
    }

    private final Metrics metrics = MetricsFactory.getMetricsInstance();
    private final AtomicBoolean coldStartDone = new AtomicBoolean();
    private final String namespace;

    private PowertoolsMetrics(String namespace) {
        this.namespace = namespace;
    }

    /** The sink for the running function. */
    public static PowertoolsMetrics fromEnvironment() {
        return new PowertoolsMetrics(FunctionEnvironment.get("POWERTOOLS_METRICS_NAMESPACE", "mlops"));
    }

    @Override
    public void count(String name, double value, Map<String, String> dimensions) {
        try {
            metrics.flushSingleMetric(name, value, MetricUnit.COUNT, namespace, DimensionSet.of(dimensions));
        } catch (RuntimeException e) {
            Log.warn("metric not emitted", Map.of("metric", name, "error", String.valueOf(e.getMessage())));
        }
    }

    /**
     * Emits the {@code ColdStart} metric on the first invocation of this handler instance (Powertools'
     * own cold-start tracking is advanced by its AspectJ aspect, which we do not weave).
     */
    public void coldStart(Context context) {
        if (coldStartDone.compareAndSet(false, true)) {
            count("ColdStart", 1, Map.of("Function", context == null || context.getFunctionName() == null
                    ? FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_NAME", "local") : context.getFunctionName()));
        }
    }
}
