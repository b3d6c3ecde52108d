package dev.mlops.core.search;

import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.Layout;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandidateTrainerTest {

    private final PipelineHarness p = new PipelineHarness();

    private TrainingTask task(String runId, CandidateSpec spec, int index) {
        RunRequest r = p.request(runId);
        return new TrainingTask(r.runId(), r.dataset(), r.datasetVersion(), r.model(), r.label(), r.source(), spec, index);
    }

    @Test
    void aTrainedCandidate_shouldBeTracked_withParamsMetricsFitTimeProvenanceAndSha256() {
        // GIVEN wine uploaded
        String run = p.upload("wine", Datasets.read("wine")).runId();
        CandidateSpec spec = new CandidateSpec("random-forest", 42, new SplitSpec(SplitSpec.ROW_HASH, 42, 0.2, 0.2),
                Map.of("numTrees", "15"), "macro_f1", false, 5);
        // WHEN
        TrainedCandidate c = p.trainer.train(task(run, spec, 3));
        // THEN the payload points at the artifacts and carries the selection numbers
        assertThat(c.trained()).isTrue();
        assertThat(c.selectionScore()).isEqualTo(c.validationMacroF1());
        assertThat(c.recordKey()).isEqualTo(Layout.candidateRecord("wine", run, 3));
        // AND the tracking record holds everything the leaderboard and the model card need
        CandidateRecord r = p.store.findJson(c.recordKey(), CandidateRecord.class).orElseThrow();
        assertThat(r.status()).isEqualTo("TRAINED");
        assertThat(r.spec()).isEqualTo(spec);
        assertThat(r.hyperParameters()).containsEntry("numTrees", "15").containsEntry("fractionFeaturesInSplit", "sqrt");
        assertThat(r.validation()).containsKeys("accuracy", "macro_f1", "log_loss");
        assertThat(r.test()).containsEntry("accuracy", c.accuracy());
        assertThat(r.fitMillis()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(r.sha256()).isEqualTo(c.sha256())
                .isEqualTo(Sha256.hex(p.store.find(c.artifactKey()).orElseThrow().bytes()));
        assertThat(r.libraries()).containsEntry("tribuo", "4.3.2");
        assertThat(r.startedAt()).isBeforeOrEqualTo(r.endedAt());
        assertThat(new String(p.store.find(r.provenanceKey()).orElseThrow().bytes()))
                .contains("RandomForestTrainer");
        assertThat(((ClassificationMetrics) p.store.findJson(r.metricsKey(), CandidateRecord.MetricsDocument.class).orElseThrow().test()).confusion()).containsOnlyKeys("class_0", "class_1", "class_2");
    }

    @Test
    void xgboostWithoutItsNativeLibrary_shouldBeSkippedWithTheReason_notFail() {
        // GIVEN a runtime where XGBoost's native library does not load
        CandidateTrainer trainer = new CandidateTrainer(p.store, library -> Optional.of("libgomp.so.1: cannot open"),
                Clock.systemUTC());
        String run = p.upload("iris", Datasets.read("iris")).runId();
        CandidateSpec spec = new CandidateSpec("xgboost", 42, SplitSpec.rowHash(42, 0.3), Map.of());
        // WHEN
        TrainedCandidate c = trainer.train(task(run, spec, 0));
        // THEN
        assertThat(c.trained()).isFalse();
        assertThat(c.status()).isEqualTo(TrainedCandidate.SKIPPED);
        assertThat(c.reason()).isEqualTo("libgomp.so.1: cannot open");
        assertThat(c.artifactKey()).isNull();
        assertThat(p.store.findJson(c.recordKey(), CandidateRecord.class).orElseThrow().reason())
                .isEqualTo("libgomp.so.1: cannot open");
        // AND other families are not affected by the probe
        assertThat(trainer.train(task(run, new CandidateSpec("cart", 42, SplitSpec.rowHash(42, 0.3), Map.of()), 1))
                .trained()).isTrue();
    }

    @Test
    void aCandidateThatCannotFinishInTime_shouldBeSkippedAtOnce_withItsEstimate() {
        // GIVEN pima and a function with one second left
        String run = p.upload("pima", "pima.csv", Datasets.read("pima"), Map.of("label", "diabetes")).runId();
        CandidateSpec forest = new CandidateSpec("random-forest", 42, SplitSpec.rowHash(42, 0.3),
                Map.of("numTrees", "2000"));
        // WHEN
        TrainedCandidate c = p.trainer.train(task(run, forest, 0), 1_000);
        // THEN it is skipped before any fit, its estimate and the time left in the reason and the record
        assertThat(c.status()).isEqualTo(TrainedCandidate.SKIPPED);
        assertThat(c.reason()).contains("random-forest").contains("estimated at").contains("the function has 1 s left");
        assertThat(c.artifactKey()).isNull();
        assertThat(p.store.findJson(c.recordKey(), CandidateRecord.class).orElseThrow().reason()).isEqualTo(c.reason());
        assertThat(p.store.find(Layout.candidatePrefix("pima", run, 0) + CandidateRecord.MODEL)).isEmpty();
    }

    @Test
    void aRetry_shouldRewriteTheSameBytes_butAnotherRequestForTheSameIndex_shouldNotReplaceTheArtifact() {
        // GIVEN candidate 0 of a run trained
        String run = p.upload("iris", Datasets.read("iris")).runId();
        CandidateSpec spec = new CandidateSpec("cart", 42, SplitSpec.rowHash(42, 0.3), Map.of());
        TrainedCandidate first = p.trainer.train(task(run, spec, 0));
        // WHEN the same task is retried, THEN the same artifact
        assertThat(p.trainer.train(task(run, spec, 0)).sha256()).isEqualTo(first.sha256());
        // WHEN another candidate claims the same run and index (a replayed sample event, say)
        CandidateSpec other = new CandidateSpec("logistic-regression", 42, SplitSpec.rowHash(42, 0.3), Map.of());
        // THEN it is refused and the artifact stays
        assertThatThrownBy(() -> p.trainer.train(task(run, other, 0)))
                .isInstanceOf(dev.mlops.core.errors.IntegrityException.class)
                .hasMessageContaining("already has an artifact with sha256 " + first.sha256());
        assertThat(Sha256.hex(p.store.find(first.artifactKey()).orElseThrow().bytes())).isEqualTo(first.sha256());
    }

    @Test
    void collectingACandidateAContainerTrained_shouldReturnWhatTrainingReturned_andAMissingRecordShouldFail() {
        // GIVEN candidate 1 of a run trained elsewhere (a container task runs the same trainer)
        String run = p.upload("iris", Datasets.read("iris")).runId();
        CandidateSpec spec = new CandidateSpec("logistic-regression", 42, SplitSpec.rowHash(42, 0.3), Map.of());
        TrainedCandidate trained = p.trainer.train(task(run, spec, 1));
        // WHEN its record is collected, THEN the state machine gets what the function path returns
        assertThat(p.trainer.collect(task(run, spec, 1))).isEqualTo(trained);
        // AND a candidate whose task wrote nothing fails, naming where its record should be
        assertThatThrownBy(() -> p.trainer.collect(task(run, spec, 2)))
                .isInstanceOf(dev.mlops.core.errors.IntegrityException.class)
                .hasMessageContaining(Layout.candidateRecord("iris", run, 2))
                .hasMessageContaining("its container task ended without writing it");
    }
}
