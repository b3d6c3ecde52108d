package dev.mlops.core.monitoring;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.serving.ObjectStoreCapture;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftServiceTest {

    private final PipelineHarness p = new PipelineHarness();
    private final DriftService drift = new DriftService(p.store, p.registry, p.driftChecks, p.metrics, p.clock);

    /** Real iris rows as requests, with {@code shift} added to the petal length. */
    private void send(int requests, double shift) {
        ServingService serving = new ServingService(p.store, p.registry, new ObjectStoreCapture(p.store), p.metrics,
                1.0, () -> 0.0, 1 << 20, p.clock);
        String[] rows = Datasets.read("iris").strip().split("\n");
        for (int i = 0; i < requests; i++) {
            p.clock.advance(Duration.ofMillis(10));
            String[] c = rows[1 + (i * 37) % 150].split(",");
            String body = "{\"instances\": [{\"sepal_length_cm\": " + c[0] + ", \"sepal_width_cm\": " + c[1]
                    + ", \"petal_length_cm\": " + (Double.parseDouble(c[2]) + shift) + ", \"petal_width_cm\": " + c[3] + "}]}";
            assertThat(serving.handle(new ServingService.Request("POST", "iris:predict",
                    body.getBytes(StandardCharsets.UTF_8), "r" + i + "-" + shift)).status()).isEqualTo(200);
        }
    }

    @Test
    void shiftedTraffic_shouldDriftOnTheShiftedFeature_andTheNextWindowStartsAfterIt() {
        // GIVEN iris in production and 40 real rows whose petal lengths are shifted far outside training
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        send(40, 20);
        p.clock.advance(Duration.ofSeconds(1));
        // WHEN
        DriftCheck first = drift.check("iris");
        p.clock.advance(Duration.ofSeconds(1));
        DriftCheck second = drift.check("iris");
        // THEN
        assertThat(first.driftDetected()).isTrue();
        assertThat(first.driftedFeatures()).contains("petal_length_cm").doesNotContain("sepal_width_cm", "sepal_length_cm");
        assertThat(first.samples()).isEqualTo(40);
        assertThat(p.store.find(first.reportKey())).isPresent();
        assertThat(second.samples()).isZero();
        assertThat(second.windowStart()).isEqualTo(first.windowEnd());
        assertThat(p.metrics.total("DriftDetected")).isEqualTo(1);
    }

    @Test
    void aModelWithoutProduction_shouldBeRefusedByName() {
        assertThatThrownBy(() -> drift.check("nothing")).isInstanceOf(ContractException.class)
                .hasMessageContaining("has no production version");
    }
}
