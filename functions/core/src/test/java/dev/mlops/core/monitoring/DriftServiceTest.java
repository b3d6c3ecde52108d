package dev.mlops.core.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.ports.ObjectStore;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftServiceTest {

    private final MonitoredPipeline m = new MonitoredPipeline();
    private final PipelineHarness p = m.p;
    private final DriftService drift = m.drift;
    private final CaptureBatcher capture = m.capture;
    private final ServingService serving = m.serving;
    private final String[] iris = Datasets.read("iris").strip().split("\n");

    @BeforeEach
    void irisInProduction() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
    }

    /** One request per real iris row (cycling), petal length shifted; returns (request id, true label) pairs. */
    private List<String[]> send(int requests, double shift) {
        List<String[]> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            p.clock.advance(Duration.ofMillis(10));
            String[] c = iris[1 + (i * 37) % 150].split(",");
            String body = "{\"instances\": [{\"sepal_length_cm\": " + c[0] + ", \"sepal_width_cm\": " + c[1]
                    + ", \"petal_length_cm\": " + (Double.parseDouble(c[2]) + shift) + ", \"petal_width_cm\": " + c[3]
                    + "}]}";
            String id = "r" + i + "-" + p.clock.millis();
            assertThat(serving.handle(new ServingService.Request("POST", "iris:predict",
                    body.getBytes(StandardCharsets.UTF_8), id)).status()).isEqualTo(200);
            sent.add(new String[] {id, c[4]});
        }
        return sent;
    }

    /** Labels for the requests ({@code relabel} non-null: that label for every one). */
    private void feedback(List<String[]> sent, String relabel) {
        StringBuilder body = new StringBuilder("{\"feedback\": [");
        for (int i = 0; i < sent.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"request_id\": \"").append(sent.get(i)[0])
                    .append("\", \"label\": \"").append(relabel == null ? sent.get(i)[1] : relabel).append("\"}");
        }
        body.append("]}");
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", "iris:feedback",
                body.toString().getBytes(StandardCharsets.UTF_8), "fb-" + p.clock.millis()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    /** Writes what the capture writer holds, then lets the settle time pass. */
    private void settle() {
        capture.flush();
        p.clock.advance(DriftService.DEFAULT_SETTLE.plusSeconds(1));
    }

    private JsonNode report(DriftCheck check) {
        return Json.tree(p.store.find(check.reportKey()).orElseThrow().bytes());
    }

    @Test
    void shiftedTraffic_shouldDriftOnTheShiftedFeature_andTheNextWindowStartsAfterIt() {
        // GIVEN 150 real rows whose petal lengths are shifted far outside training
        send(150, 20);
        settle();
        // WHEN
        DriftCheck first = drift.check("iris");
        DriftCheck second = drift.check("iris");
        // THEN
        assertThat(first.verdict()).isEqualTo("DRIFTED");
        assertThat(first.driftDetected()).isTrue();
        assertThat(first.driftedFeatures()).contains("petal_length_cm").doesNotContain("sepal_width_cm");
        assertThat(first.samples()).isEqualTo(150);
        JsonNode report = report(first);
        assertThat(report.path("drift").path("columns").path("petal_length_cm").path("outliers").path("above").asLong())
                .isEqualTo(150);
        assertThat(p.store.find(first.reportHtmlKey()).orElseThrow().bytes()).asString(StandardCharsets.UTF_8)
                .contains("DRIFTED").contains("petal_length_cm").contains("<svg");
        assertThat(second.samples()).isZero();
        assertThat(second.verdict()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(second.windowStart()).isEqualTo(first.windowEnd());
        assertThat(p.metrics.total("DriftDetected")).isEqualTo(1);
        // AND without ground truth, production was trained on the latest data: nothing new to retrain on
        assertThat(first.retraining().status()).isEqualTo("NO_NEW_DATA");
        assertThat(first.quality()).isEqualTo("NO_FEEDBACK");
    }

    @Test
    void driftWithGroundTruth_shouldRetrainOnceThroughIngest_withItsCause_andTheNewModelGoesThroughBlessing() {
        // GIVEN shifted traffic and the true labels of those requests
        List<String[]> sent = send(150, 3);
        feedback(sent, null);
        settle();
        // WHEN the check runs, and another runs inside the cool-down on more shifted traffic
        DriftCheck first = drift.check("iris");
        feedback(send(150, 3), null);
        settle();
        DriftCheck second = drift.check("iris");
        // THEN the first asked for one retraining: the latest accepted data plus the 150 labelled rows, as an upload
        assertThat(first.verdict()).isEqualTo("DRIFTED");
        DriftCheck.Retraining r = first.retraining();
        assertThat(r.status()).isEqualTo("REQUESTED");
        assertThat(r.labelledRows()).isEqualTo(150);
        assertThat(r.upload()).isEqualTo(Layout.retrainingUpload("iris", first.checkId()));
        ObjectStore.ObjectInfo upload = p.store.head(r.upload(), null).orElseThrow();
        assertThat(upload.metadata()).containsEntry("cause-check", first.checkId()).containsEntry("label", "label");
        assertThat(upload.metadata().get("cause-verdict")).startsWith("DRIFTED");
        // AND live quality was measured on the labelled rows
        assertThat(report(first).path("quality").path("labelled").asLong()).isEqualTo(150);
        // AND the second check started nothing: the cool-down holds
        assertThat(second.retraining().status()).isEqualTo("COOL_DOWN");
        assertThat(second.retraining().reason()).contains(first.checkId());
        assertThat(p.store.list("incoming/iris/", null)).hasSize(2); // the original upload and one retraining
        // WHEN ingest sees the upload (the S3 event), and the pipeline runs
        IngestionService.Outcome ingested = p.ingestion.ingest(p.store.bucket(), r.upload(), upload.versionId());
        // THEN a new dataset version of 300 rows, whose run names its cause and is the one the check announced
        assertThat(ingested.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(ingested.runId()).isEqualTo(r.runId());
        assertThat(ingested.datasetVersion()).isEqualTo(r.datasetVersion());
        assertThat(p.request(r.runId()).cause()).satisfies(c -> {
            assertThat(c.checkId()).isEqualTo(first.checkId());
            assertThat(c.verdict()).startsWith("DRIFTED");
            assertThat(c.report()).isEqualTo(first.reportKey());
        });
        Run run = p.runToEnd(r.runId());
        assertThat(run.status()).isIn(RunStatus.SUCCEEDED, RunStatus.NOT_BLESSED);
        assertThat(p.registry.find("iris", run.version()).orElseThrow().blessing().reason()).contains("accuracy");
        assertThat(p.datasets.find("iris", r.datasetVersion()).orElseThrow().rows()).isEqualTo(300);
    }

    @Test
    void wrongPredictionsConfirmedByGroundTruth_shouldBeDegraded_evenWithoutDataDrift() {
        // GIVEN normal traffic, labelled with a class the model does not predict for it
        List<String[]> sent = send(150, 0);
        feedback(sent.subList(0, 100), "virginica");
        settle();
        // WHEN
        DriftCheck check = drift.check("iris");
        // THEN
        JsonNode quality = report(check).path("quality");
        assertThat(check.verdict()).isEqualTo("NO_DRIFT");
        assertThat(check.quality()).isEqualTo("DEGRADED");
        assertThat(quality.path("labelled").asLong()).isEqualTo(100);
        assertThat(quality.path("accuracy").asDouble()).isLessThan(0.6);
        assertThat(quality.path("reason").asText()).contains("accuracy").contains("test");
        assertThat(check.retraining().status()).isEqualTo("REQUESTED");
        assertThat(p.metrics.total("QualityDegraded")).isEqualTo(1);
    }

    @Test
    void twentyRequests_shouldBeNotEnoughData_andStartNothing() {
        // GIVEN
        send(20, 20);
        settle();
        // WHEN
        DriftCheck check = drift.check("iris");
        // THEN
        assertThat(check.verdict()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(check.driftDetected()).isFalse();
        assertThat(check.retraining()).isNull();
        assertThat(report(check).path("drift").path("columns").path("petal_length_cm").path("verdict").asText())
                .isEqualTo("NOT_ENOUGH_DATA");
    }

    @Test
    void theWindow_shouldBeChosenByBatchKeys_leavingBatchesStillSettlingToTheNextCheck() {
        // GIVEN 150 shifted requests written, then 150 more written just now (within the settle time)
        send(150, 20);
        settle();
        send(150, 20);
        capture.flush();
        // WHEN
        DriftCheck first = drift.check("iris");
        p.clock.advance(DriftService.DEFAULT_SETTLE.plusSeconds(1));
        DriftCheck second = drift.check("iris");
        // THEN each batch was read by exactly one check
        assertThat(first.samples()).isEqualTo(150);
        assertThat(second.samples()).isEqualTo(150);
        assertThat(report(second).path("read").path("objects").asLong()).isEqualTo(1);
    }

    @Test
    void anUnreadableBatch_shouldBeCountedAndNamed_andTheCheckGoOn() {
        // GIVEN a good window and one batch that is not gzip'd JSON
        send(150, 20);
        capture.flush();
        p.store.put(Layout.captureBatchKey("iris", p.clock.instant(), "broken", 1), "not gzip".getBytes(),
                "application/gzip");
        p.clock.advance(DriftService.DEFAULT_SETTLE.plusSeconds(1));
        // WHEN
        DriftCheck check = drift.check("iris");
        // THEN
        JsonNode read = report(check).path("read");
        assertThat(check.samples()).isEqualTo(150);
        assertThat(read.path("unreadable_objects").asLong()).isEqualTo(1);
        assertThat(read.path("unreadable_example").asText()).contains("broken");
    }

    @Test
    void anUnreadableFeedbackObject_shouldBeCountedInTheReport_notLostInSilence() {
        // GIVEN traffic with its labels, and one stored feedback object that is not labels
        List<String[]> sent = send(150, 20);
        feedback(sent, null);
        p.store.put(Layout.feedbackKey("iris", p.clock.instant(), "damaged"), "{not json\n".getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        settle();
        // WHEN
        DriftCheck check = drift.check("iris");
        // THEN the good labels are joined and the damaged object is counted
        JsonNode read = report(check).path("read");
        assertThat(read.path("feedback_labels").asLong()).isEqualTo(150);
        assertThat(read.path("feedback_unreadable").asLong()).isEqualTo(1);
    }

    @Test
    void aBrokenConfig_shouldLeaveTheDefaultsInCharge_andSaySo() {
        // GIVEN
        p.store.putJson(Layout.config("iris"), Map.of("drift", Map.of("min_rows", "many")));
        send(150, 20);
        settle();
        // WHEN
        DriftCheck check = drift.check("iris");
        // THEN
        assertThat(check.verdict()).isEqualTo("DRIFTED");
        assertThat(report(check).path("config").asText()).contains("defaults").contains("is invalid");
    }

    @Test
    void theConfig_shouldDecide_minRowsAndRetraining() {
        // GIVEN a dataset whose drift checks need only 10 rows and never retrain
        p.store.putJson(Layout.config("iris"), Map.of("drift", Map.of("min_rows", 10,
                "retraining", Map.of("enabled", false))));
        send(20, 20);
        settle();
        // WHEN
        DriftCheck check = drift.check("iris");
        // THEN
        assertThat(check.verdict()).isEqualTo("DRIFTED");
        assertThat(check.retraining().status()).isEqualTo("DISABLED");
    }

    @Test
    void aModelWithoutProduction_shouldBeRefusedByName() {
        assertThatThrownBy(() -> drift.check("nothing")).isInstanceOf(ContractException.class)
                .hasMessageContaining("has no production version");
    }
}
