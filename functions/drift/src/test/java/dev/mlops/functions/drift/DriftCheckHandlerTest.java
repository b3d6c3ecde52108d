package dev.mlops.functions.drift;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.monitoring.DriftService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriftCheckHandlerTest {

    private final PipelineHarness p = new PipelineHarness();
    private final DriftCheckHandler handler = new DriftCheckHandler(
            new DriftService(p.store, p.registry, p.datasets, p.runs, p.launcher, p.driftChecks, p.metrics, p.events, p.clock,
                    DriftService.DEFAULT_SETTLE), PowertoolsMetrics.fromEnvironment());

    private static ScheduledEvent event(String file) throws Exception {
        byte[] json = Files.readAllBytes(Path.of("../../events/DriftCheckFunction/" + file));
        return LambdaEventSerializers.serializerFor(ScheduledEvent.class, DriftCheckHandlerTest.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json));
    }

    @Test
    void theScheduleAndTheOnDemandSample_shouldCheckEveryModelOrTheNamedOne_inSnakeCase() throws Exception {
        // GIVEN iris and wine in production
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        p.runToEnd(p.upload("wine", Datasets.read("wine")).runId());
        // WHEN
        Map<String, Object> all = handler.handleRequest(event("scheduled.json"), null);
        Map<String, Object> one = handler.handleRequest(event("on-demand-one-model.json"), null);
        // THEN
        assertThat((List<?>) all.get("checks")).hasSize(2);
        List<?> checks = (List<?>) one.get("checks");
        assertThat(checks).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> check = (Map<String, Object>) checks.get(0);
        assertThat(check).containsEntry("model", "iris")
                .containsKeys("check_id", "drift_detected", "report_key", "report_html_key", "window_end", "verdict",
                        "quality")
                .containsEntry("verdict", "NOT_ENOUGH_DATA");
    }
}
