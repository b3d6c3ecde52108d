package dev.mlops.core.ingest;

import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.AnomalyKind;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.Schema;
import dev.mlops.core.domain.DatasetStatus;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.registry.RegistryService;
import dev.mlops.core.pipeline.BlessingPolicy;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ports.ObjectStore;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestionServiceTest {

    private final PipelineHarness p = new PipelineHarness();
    private final String iris = Datasets.read("iris");

    @Test
    void aValidUpload_shouldBeRecordedProfiledAndHandedToThePipelineOnce() {
        // WHEN
        IngestionService.Outcome outcome = p.upload("iris", iris);
        // THEN
        assertThat(outcome.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(p.datasets.find("iris", outcome.datasetVersion())).hasValueSatisfying(v -> {
            assertThat(v.status()).isEqualTo(DatasetStatus.VALID);
            assertThat(v.rows()).isEqualTo(150);
        });
        assertThat(p.store.find(Layout.schema("iris"))).isPresent();
        assertThat(p.store.find(Layout.profile("iris", outcome.datasetVersion()))).isPresent();
        Run run = p.runs.find(outcome.runId()).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.request()).isEqualTo(p.request(outcome.runId()));
        // AND the request carries the rows, from which the state machine places training (function or container)
        assertThat(run.request().rows()).isEqualTo(150L);
        assertThat(p.launcher.started()).hasSize(1);
        assertThat(p.metrics.total("DatasetsAccepted")).isEqualTo(1);
    }

    @Test
    void aDuplicateEvent_shouldConcludeTheSameOutcome_changeNothingAndCountNothing() {
        // GIVEN
        IngestionService.Outcome first = p.upload("iris", iris);
        UploadOutcome recorded = p.datasets.findUpload(first.key(), version(first)).orElseThrow();
        // WHEN the same object is delivered again (S3 delivers at least once)
        IngestionService.Outcome again = p.ingestion.ingest(p.store.bucket(), first.key(), null);
        // THEN it is the same upload: VALID, the same run, nothing started or counted twice, the record unchanged
        assertThat(again.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(p.launcher.started()).hasSize(1);
        assertThat(p.metrics.total("DatasetsAccepted")).isEqualTo(1);
        assertThat(p.datasets.findUpload(first.key(), version(first))).contains(recorded);
    }

    /** The S3 version id of the upload an outcome is about (the in-memory store versions every put). */
    private String version(IngestionService.Outcome o) {
        return p.store.head(o.key(), null).orElseThrow().versionId();
    }

    @Test
    void everyUpload_shouldEndInARecordedOutcome_keyedByItsKeyAndVersionId() {
        // GIVEN a valid, an invalid, a too large, a badly named and a vanished upload
        IngestionService.Outcome valid = p.upload("iris", iris);
        IngestionService.Outcome invalid = p.upload("bad", "x,label\n1,a\n2\n");
        IngestionService small = new IngestionService(p.store, p.datasets, p.runs, p.launcher, p.metrics, p.clock, 100);
        String bigVersion = p.store.put("incoming/wine/wine.csv", Datasets.read("wine").getBytes(StandardCharsets.UTF_8),
                Map.of());
        small.ingest(p.store.bucket(), "incoming/wine/wine.csv", bigVersion);
        String badVersion = p.store.put("incoming/Bad Name/x.csv", iris.getBytes(StandardCharsets.UTF_8), Map.of());
        p.ingestion.ingest(p.store.bucket(), "incoming/Bad Name/x.csv", badVersion);
        p.ingestion.ingest(p.store.bucket(), "incoming/iris/gone.csv", "v-gone");
        // WHEN / THEN each one has its outcome, with what a person needs to act on it
        assertThat(p.datasets.findUpload(valid.key(), version(valid))).hasValueSatisfying(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.VALID);
            assertThat(u.runId()).isEqualTo(valid.runId());
            assertThat(u.model()).isEqualTo("iris");
            assertThat(u.datasetVersion()).isEqualTo(valid.datasetVersion());
            assertThat(u.reportHtmlKey()).isEqualTo(valid.reportHtmlKey());
            assertThat(u.attempts()).isZero();
        });
        assertThat(p.datasets.findUpload(invalid.key(), version(invalid))).hasValueSatisfying(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.INVALID);
            assertThat(u.reason()).contains("line 3");
            assertThat(u.reportKey()).isEqualTo(invalid.reportKey());
            assertThat(u.runId()).isNull();
        });
        assertThat(p.datasets.findUpload("incoming/wine/wine.csv", bigVersion)).hasValueSatisfying(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.REJECTED);
            assertThat(u.reason()).contains("MAX_UPLOAD_BYTES");
            assertThat(u.reportKey()).contains("datasets/wine/rejected/");
        });
        assertThat(p.datasets.findUpload("incoming/Bad Name/x.csv", badVersion)).hasValueSatisfying(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.REJECTED);
            assertThat(u.dataset()).isEqualTo("Bad Name");
            assertThat(u.reason()).contains("dataset name");
        });
        assertThat(p.datasets.findUpload("incoming/iris/gone.csv", "v-gone")).hasValueSatisfying(u ->
                assertThat(u.status()).isEqualTo(UploadStatus.REJECTED));
        assertThat(p.datasets.uploads("iris")).extracting(UploadOutcome::status)
                .containsExactly(UploadStatus.VALID, UploadStatus.REJECTED);
    }

    @Test
    void theSameBytesThroughAnotherUpload_shouldBeADuplicateNamingTheRunModelAndVersion() {
        // GIVEN iris trained to v1
        IngestionService.Outcome first = p.upload("iris", iris);
        p.runToEnd(first.runId());
        // WHEN the same bytes come again under another file name, once asking for another model
        IngestionService.Outcome again = p.upload("iris", "copy.csv", iris, Map.of());
        IngestionService.Outcome otherModel = p.upload("iris", "third.csv", iris, Map.of("model", "thirdmodel"));
        // THEN both are duplicates that say what the bytes made, and that thirdmodel was not trained
        assertThat(again.status()).isEqualTo(IngestionService.Status.DUPLICATE);
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(again.reason()).contains("run " + first.runId() + " is SUCCEEDED, model iris v1")
                .contains("incoming/iris/iris.csv").doesNotContain("thirdmodel");
        assertThat(otherModel.reason()).contains("model iris v1")
                .contains("model thirdmodel was not trained and no version of it was created");
        assertThat(p.datasets.findUpload(otherModel.key(), version(otherModel))).hasValueSatisfying(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.DUPLICATE);
            assertThat(u.model()).isEqualTo("iris");
            assertThat(u.modelVersion()).isEqualTo(1);
            assertThat(u.runId()).isEqualTo(first.runId());
        });
        assertThat(p.launcher.started()).hasSize(1);
        assertThat(p.registry.find("thirdmodel", 1)).isEmpty();
        // AND the dataset was accepted once: a duplicate is not counted again
        assertThat(p.metrics.total("DatasetsAccepted")).isEqualTo(1);
    }

    @Test
    void aDuplicateOfARetriedRun_shouldNameTheNewestAttempt() {
        // GIVEN a run that failed and was retried
        IngestionService.Outcome first = p.upload("iris", iris);
        p.registryService.recordFailure(new RegistryTask.RecordFailure(first.runId(), "iris", Map.of("Error", "E")));
        RegistryService.RetryStarted retry = p.registryService.retry(new RegistryTask.RetryRun(first.runId()));
        // WHEN the same bytes come again
        IngestionService.Outcome again = p.upload("iris", "again.csv", iris, Map.of());
        // THEN
        assertThat(again.runId()).isEqualTo(retry.newRunId());
        assertThat(again.reason()).contains("run " + retry.newRunId() + " is RUNNING");
    }

    @Test
    void failedDeliveryAttempts_shouldBeRetrying_thenFailedDelivery_untilARedriveSettlesIt() {
        // GIVEN an upload whose ingestion fails three times (DynamoDB down, say)
        String version = p.store.put("incoming/iris/iris.csv", iris.getBytes(StandardCharsets.UTF_8), Map.of());
        String key = "incoming/iris/iris.csv";
        // WHEN
        UploadOutcome one = p.ingestion.deliveryFailed(key, version, "DynamoDB (http://x) could not be reached", 3)
                .orElseThrow();
        UploadOutcome two = p.ingestion.deliveryFailed(key, version, "DynamoDB (http://x) could not be reached", 3)
                .orElseThrow();
        UploadOutcome three = p.ingestion.deliveryFailed(key, version, "DynamoDB (http://x) could not be reached", 3)
                .orElseThrow();
        // THEN
        assertThat(one.status()).isEqualTo(UploadStatus.RETRYING);
        assertThat(one.reason()).contains("attempt 1 of 3 failed").contains("DynamoDB (http://x)");
        assertThat(two.status()).isEqualTo(UploadStatus.RETRYING);
        assertThat(three.status()).isEqualTo(UploadStatus.FAILED_DELIVERY);
        assertThat(three.attempts()).isEqualTo(3);
        assertThat(three.reason()).contains("./mlops datasets redrive").contains("DynamoDB (http://x)");
        assertThat(p.datasets.findUpload(key, version)).contains(three);
        // WHEN the dead letter is redriven once the cause is fixed
        IngestionService.Outcome redriven = p.ingestion.ingest(p.store.bucket(), key, version);
        // THEN the upload's outcome is the one of its bytes, and a late failure changes nothing
        assertThat(redriven.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(p.datasets.findUpload(key, version).orElseThrow().status()).isEqualTo(UploadStatus.VALID);
        assertThat(p.ingestion.deliveryFailed(key, version, "late", 3)).isEmpty();
        assertThat(p.datasets.findUpload(key, version).orElseThrow().status()).isEqualTo(UploadStatus.VALID);
    }

    @Test
    void aRedeliveryAfterTheRunEnded_shouldStartNoExecution() {
        // GIVEN a run that failed
        IngestionService.Outcome first = p.upload("iris", iris);
        p.registryService.recordFailure(new RegistryTask.RecordFailure(first.runId(), "iris", Map.of("Error", "E")));
        int started = p.launcher.started().size();
        // WHEN its upload is delivered again
        IngestionService.Outcome again = p.ingestion.ingest(p.store.bucket(), first.key(), null);
        // THEN nothing is handed to the pipeline for a run that can no longer be ended by it
        assertThat(again.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(p.launcher.started()).hasSize(started);
    }

    @Test
    void aDuplicateOfAFailedRun_shouldSayHowToRetryIt() {
        // GIVEN a run that failed
        IngestionService.Outcome first = p.upload("iris", iris);
        p.registryService.recordFailure(new RegistryTask.RecordFailure(first.runId(), "iris", Map.of("Error", "E")));
        // WHEN the same bytes are uploaded again
        IngestionService.Outcome again = p.upload("iris", "again.csv", iris, Map.of());
        // THEN
        assertThat(again.status()).isEqualTo(IngestionService.Status.DUPLICATE);
        assertThat(again.reason()).contains("FAILED").contains("./mlops runs retry " + first.runId());
    }

    @Test
    void anInvalidUpload_shouldGetAReportAndNoRun() {
        // WHEN
        IngestionService.Outcome outcome = p.upload("bad", "x,label\n1,a\n2\n");
        // THEN
        assertThat(outcome.status()).isEqualTo(IngestionService.Status.INVALID);
        assertThat(outcome.reason()).contains("line 3");
        assertThat(p.store.find(outcome.reportKey())).isPresent();
        assertThat(p.launcher.started()).isEmpty();
        assertThat(p.metrics.total("DatasetsRejected")).isEqualTo(1);
    }

    @Test
    void keysAndMissingObjects_shouldBeRejectedOrIgnoredWithAReason() {
        assertThat(p.ingestion.ingest(p.store.bucket(), "incoming/iris/gone.csv", null).status())
                .isEqualTo(IngestionService.Status.REJECTED);
        assertThat(p.ingestion.ingest(p.store.bucket(), "incoming/Bad Name/x.csv", null).reason())
                .contains("dataset name");
        assertThat(p.ingestion.ingest(p.store.bucket(), "models/iris/1/model.tribuo", null).status())
                .isEqualTo(IngestionService.Status.IGNORED);
        assertThat(p.ingestion.ingest("another-bucket", "incoming/iris/x.csv", null).status())
                .isEqualTo(IngestionService.Status.IGNORED);
        assertThat(p.launcher.started()).isEmpty();
    }

    @Test
    void theDatasetConfig_shouldTravelInTheRunRequest_andAMalformedOneShouldBeNamed() {
        // GIVEN a config with a margin
        p.store.putJson(Layout.config("iris"), Map.of("blessing", Map.of("margin", 0.01)));
        // WHEN
        IngestionService.Outcome outcome = p.upload("iris", iris);
        // THEN
        assertThat(p.request(outcome.runId()).blessing()).isEqualTo(new BlessingPolicy("accuracy", 0.01));
        // GIVEN a config with a typo
        p.store.putJson(Layout.config("wine"), Map.of("blesing", Map.of()));
        // WHEN / THEN
        IngestionService.Outcome typo = p.upload("wine", Datasets.read("wine"));
        assertThat(typo.status()).isEqualTo(IngestionService.Status.INVALID);
        assertThat(typo.reason()).contains("schemas/wine/config.json").contains("unknown field \"blesing\"");
    }

    @Test
    void aValidUpload_shouldLinkItsReportPageFromTheDatasetRecord() {
        // WHEN
        IngestionService.Outcome outcome = p.upload("iris", iris);
        // THEN
        String html = new String(p.store.find(outcome.reportHtmlKey()).orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("petal_length_cm")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        assertThat(p.datasets.find("iris", outcome.datasetVersion()).orElseThrow().reportHtmlKey())
                .isEqualTo(outcome.reportHtmlKey()).isEqualTo(Layout.reportHtml("iris", outcome.datasetVersion()));
        DatasetReport report = Json.read(p.store.find(outcome.reportKey()).orElseThrow().bytes(), DatasetReport.class);
        assertThat(report.valid()).isTrue();
        assertThat(report.rows()).isEqualTo(150);
        assertThat(report.schema()).isEqualTo("inferred");
    }

    @Test
    void aFirstUploadThatCannotTrain_shouldNotBecomeTheSchema_soTheNextRealUploadIsJudgedOnItsOwn() {
        // GIVEN the first upload: only the label column
        IngestionService.Outcome labelOnly = p.upload("flowers", "label\n" + "setosa\nvirginica\n".repeat(10));
        // WHEN the real data follows
        IngestionService.Outcome real = p.upload("flowers", iris);
        // THEN
        assertThat(labelOnly.status()).isEqualTo(IngestionService.Status.INVALID);
        assertThat(labelOnly.reason()).contains("no feature column");
        assertThat(p.datasets.find("flowers", labelOnly.datasetVersion()).orElseThrow().errors()).isEqualTo(1);
        assertThat(real.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(p.store.findJson(Layout.schema("flowers"), Schema.class).orElseThrow().features()).hasSize(4);
    }

    @Test
    void anUploadOverTheLimit_shouldBeRejectedWithAReportBeforeItIsRead() {
        // GIVEN a service that reads at most 1,000 bytes
        IngestionService small = new IngestionService(p.store, p.datasets, p.runs, p.launcher, p.metrics, p.clock, 1_000);
        String key = "incoming/iris/iris.csv";
        String version = p.store.put(key, iris.getBytes(StandardCharsets.UTF_8), Map.of());
        // WHEN
        IngestionService.Outcome outcome = small.ingest(p.store.bucket(), key, version);
        // THEN
        assertThat(outcome.status()).isEqualTo(IngestionService.Status.REJECTED);
        assertThat(outcome.reason()).contains("3,868 bytes").contains("at most 1,000 bytes").contains("MAX_UPLOAD_BYTES");
        DatasetReport report = Json.read(p.store.find(outcome.reportKey()).orElseThrow().bytes(), DatasetReport.class);
        assertThat(report.status()).isEqualTo("REJECTED");
        assertThat(report.anomalies()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(AnomalyKind.TOO_LARGE));
        assertThat(p.datasets.versions("iris")).isEmpty();
        assertThat(p.metrics.total("UploadsRejected")).isEqualTo(1);
        assertThat(p.launcher.started()).isEmpty();
    }

    @Test
    void theValidationSectionOfTheConfig_shouldSetSeverities() {
        // GIVEN iris accepted, then a value far outside its range, which the dataset's config makes an error
        p.upload("iris", iris);
        String outlier = iris.replaceFirst("\n5.1,", "\n99999,");
        p.store.putJson(Layout.config("iris"), Map.of("validation", Map.of("severity", Map.of("OUT_OF_RANGE", "ERROR"))));
        // WHEN
        IngestionService.Outcome outcome = p.upload("iris", "outlier.csv", outlier, Map.of());
        // THEN
        assertThat(outcome.status()).isEqualTo(IngestionService.Status.INVALID);
        assertThat(outcome.reason()).contains("outside the schema's range").contains("line 2");
        // and a config that would let training fail later is refused with the field named
        p.store.putJson(Layout.config("iris"), Map.of("validation", Map.of("severity", Map.of("RAGGED_ROW", "WARNING"))));
        IngestionService.Outcome refused = p.upload("iris", "again.csv", outlier.replace("99999", "99998"), Map.of());
        assertThat(refused.status()).isEqualTo(IngestionService.Status.INVALID);
        assertThat(refused.reason()).contains("schemas/iris/config.json").contains("RAGGED_ROW cannot be WARNING");
    }

    @Test
    void anObjectThatChangesWhileItIsRead_shouldRecordNothingAndBeRetried() {
        // GIVEN a store whose head describes another size than the bytes it streams (an upload still being written)
        ObjectStore growing = new ObjectStore() {
            @Override
            public String bucket() {
                return p.store.bucket();
            }

            @Override
            public Optional<StoredObject> find(String key, String versionId) {
                return p.store.find(key, versionId);
            }

            @Override
            public Optional<InputStream> open(String key, String versionId) {
                return p.store.open(key, versionId);
            }

            @Override
            public Optional<InputStream> openRange(String key, String versionId, long firstByte, long lastByte) {
                return p.store.openRange(key, versionId, firstByte, lastByte);
            }

            @Override
            public Optional<ObjectInfo> head(String key, String versionId) {
                return p.store.head(key, versionId).map(i -> new ObjectInfo(i.key(), i.size() + 1_000, i.lastModified(),
                        i.versionId(), i.metadata()));
            }

            @Override
            public String put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
                return p.store.put(key, bytes, contentType, metadata);
            }

            @Override
            public void copy(String fromKey, String toKey) {
                p.store.copy(fromKey, toKey);
            }

            @Override
            public List<ObjectInfo> list(String prefix, String startAfter) {
                return p.store.list(prefix, startAfter);
            }
        };
        IngestionService service = new IngestionService(growing, p.datasets, p.runs, p.launcher, p.metrics, p.clock);
        String version = p.store.put("incoming/iris/iris.csv", iris.getBytes(StandardCharsets.UTF_8), Map.of());
        // WHEN / THEN
        assertThatThrownBy(() -> service.ingest(p.store.bucket(), "incoming/iris/iris.csv", version))
                .isInstanceOf(TransientException.class).hasMessageContaining("changed while it was read");
        assertThat(p.datasets.versions("iris")).isEmpty();
        assertThat(p.launcher.started()).isEmpty();
    }
}
