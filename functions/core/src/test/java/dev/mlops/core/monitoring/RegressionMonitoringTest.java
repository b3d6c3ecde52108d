package dev.mlops.core.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regression model's drift check in memory: live quality as RMSE and MAE of the numeric feedback against the
 * version's test scores, DEGRADED by {@code max_rise}; drift of the predicted values against the label's
 * training profile.
 */
class RegressionMonitoringTest {

    private final MonitoredPipeline m = new MonitoredPipeline();
    private final PipelineHarness p = m.p;
    private final DriftService drift = m.drift;
    private final CaptureBatcher capture = m.capture;
    private final ServingService serving = m.serving;
    private final List<String[]> rows = new ArrayList<>();

    /** Every tenth row of the bundled diamonds sample (1,000 rows), trained as a regression and in production. */
    @BeforeEach
    void diamondsInProduction() {
        String csv = Datasets.everyNth("diamonds", 10);
        csv.lines().skip(1).forEach(line -> rows.add(line.split(",")));
        p.store.putJson(Layout.config("diamonds"), Map.of("training", Map.of("families", List.of("cart")),
                "drift", Map.of("retraining", Map.of("enabled", false))));
        IngestionService.Outcome outcome = p.upload("diamonds", "diamonds.csv", csv,
                Map.of("label", "price", "task", "regression"));
        assertThat(p.runToEnd(outcome.runId()).status().name()).isEqualTo("SUCCEEDED");
    }

    /**
     * Sends {@code n} real rows (carat, x, y, z multiplied by {@code scale}: a unit mistake upstream) and gives
     * each its true price as feedback.
     */
    private void trafficWithTruth(int n, double scale) {
        StringBuilder feedback = new StringBuilder("{\"feedback\": [");
        for (int i = 0; i < n; i++) {
            p.clock.advance(Duration.ofMillis(10));
            String[] c = rows.get((i * 7) % rows.size());
            String body = String.format(java.util.Locale.ROOT, "{\"instances\": [{\"carat\": %s, \"cut\": \"%s\","
                            + " \"color\": \"%s\", \"clarity\": \"%s\", \"depth\": %s, \"table\": %s, \"x\": %s,"
                            + " \"y\": %s, \"z\": %s}]}", Double.parseDouble(c[0]) * scale, c[1], c[2], c[3], c[4],
                    c[5], Double.parseDouble(c[7]) * scale, Double.parseDouble(c[8]) * scale,
                    Double.parseDouble(c[9]) * scale);
            String id = "r" + i + "-" + p.clock.millis();
            assertThat(serving.handle(new ServingService.Request("POST", "diamonds:predict",
                    body.getBytes(StandardCharsets.UTF_8), id)).status()).isEqualTo(200);
            feedback.append(i == 0 ? "" : ",").append("{\"request_id\": \"").append(id).append("\", \"label\": ")
                    .append(c[6]).append('}');
        }
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "diamonds:feedback",
                feedback.append("]}").toString().getBytes(StandardCharsets.UTF_8), "fb-" + p.clock.millis()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        capture.flush();
        p.clock.advance(DriftService.DEFAULT_SETTLE.plusSeconds(1));
    }

    @Test
    void numericFeedback_shouldGiveLiveRmse_OkOnRealTraffic_andDegradedWithDriftedPredictionsWhenShifted() {
        // GIVEN real rows with their true prices
        trafficWithTruth(200, 1.0);
        // WHEN
        DriftCheck healthy = drift.check("diamonds");
        // THEN live quality is RMSE against the version's test RMSE, within max_rise
        JsonNode quality = Json.tree(p.store.find(healthy.reportKey()).orElseThrow().bytes()).path("quality");
        assertThat(healthy.quality()).as(quality.toString()).isEqualTo("OK");
        assertThat(quality.path("metric").asText()).isEqualTo("rmse");
        assertThat(quality.path("labelled").asLong()).isEqualTo(200);
        assertThat(quality.path("rmse").asDouble()).isPositive()
                .isLessThan(quality.path("test_rmse").asDouble() * 1.2);
        assertThat(quality.path("reason").asText()).startsWith("ok: rmse ").contains("max_rise 0.200");
        JsonNode prediction = Json.tree(p.store.find(healthy.reportKey()).orElseThrow().bytes()).path("drift")
                .path("prediction");
        assertThat(prediction.path("verdict").asText()).as(prediction.toString()).isEqualTo("NO_DRIFT");

        // GIVEN the same rows with their sizes doubled (the model answers far higher prices) and their true prices
        trafficWithTruth(200, 2.0);
        // WHEN
        DriftCheck shifted = drift.check("diamonds");
        // THEN live RMSE rose past test RMSE × 1.2: DEGRADED, and the predicted values drifted
        JsonNode report = Json.tree(p.store.find(shifted.reportKey()).orElseThrow().bytes());
        assertThat(shifted.quality()).as(report.path("quality").toString()).isEqualTo("DEGRADED");
        assertThat(report.path("quality").path("rmse").asDouble())
                .isGreaterThan(report.path("quality").path("test_rmse").asDouble() * 1.2);
        assertThat(report.path("quality").path("reason").asText()).startsWith("degraded: rmse ");
        assertThat(report.path("drift").path("prediction").path("verdict").asText()).isEqualTo("DRIFTED");
        assertThat(report.path("drift").path("prediction").path("current_mean").asDouble())
                .isGreaterThan(report.path("drift").path("prediction").path("reference_mean").asDouble());
        assertThat(p.metrics.total("QualityDegraded")).isEqualTo(1);
        assertThat(p.store.find(shifted.reportHtmlKey()).orElseThrow().bytes()).asString(StandardCharsets.UTF_8)
                .contains("RMSE").contains("DEGRADED");
    }
}
