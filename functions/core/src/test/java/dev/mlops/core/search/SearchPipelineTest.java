package dev.mlops.core.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.Anomaly;
import dev.mlops.core.data.AnomalyKind;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.Severity;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.registry.ModelCard;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The search through the pipeline's steps on in-memory ports: config → candidates → Map → the best registered. */
class SearchPipelineTest {

    private final PipelineHarness p = new PipelineHarness();

    @Test
    void theConfiguredFamilies_shouldAllTrain_andTheBestByValidationBeRegistered_withCardAndReport() {
        // GIVEN wine's config names four families and a grid
        p.store.putJson(Layout.config("wine"), Map.of("training", Map.of(
                "families", List.of("logistic-regression", "cart", "random-forest", "xgboost"),
                "grids", Map.of("random-forest", Map.of("numTrees", List.of("20"))))));
        String run = p.upload("wine", Datasets.read("wine")).runId();
        RunRequest request = p.request(run);
        assertThat(request.candidates()).extracting(c -> c.algorithm())
                .containsExactly("logistic-regression", "cart", "cart", "random-forest", "xgboost", "xgboost");
        // WHEN the Map trains them and Register picks one
        List<TrainedCandidate> trained = p.train(run);
        var registration = p.register(run, trained);
        // THEN the registered artifact is the one Selection ranks first on validation scores
        TrainedCandidate best = trained.stream().min(Selection.order(trained, Classification.ACCURACY)).orElseThrow();
        ModelVersion v = p.registry.find("wine", registration.version()).orElseThrow();
        assertThat(v.artifact().sha256()).isEqualTo(best.sha256());
        assertThat(trained).allSatisfy(c -> assertThat(c.selectionScore()).isLessThanOrEqualTo(best.selectionScore()));
        // AND the card and the report are there, from the tracking records
        JsonNode card = Json.tree(p.store.find(Layout.modelPrefix("wine", v.version()) + "model-card.json")
                .orElseThrow().bytes());
        assertThat(card.path("family").asText()).isEqualTo(best.candidate().algorithm());
        assertThat(card.path("selection").path("candidate_index").asInt()).isEqualTo(best.candidateIndex());
        assertThat(card.path("split").path("folds").asInt()).isEqualTo(5);
        assertThat(card.path("metrics").path("test").path("per_class").size()).isEqualTo(3);
        assertThat(card.path("training").path("fit_millis").isNumber()).isTrue();
        // AND the registered version's permutation importance, every column of wine, on its test rows
        JsonNode importance = card.path("feature_importance");
        assertThat(importance.path("method").asText()).isEqualTo("permutation");
        assertThat(importance.path("importance").size()).isEqualTo(13);
        assertThat(importance.path("rows").asInt()).isPositive();
        String html = new String(p.store.find(Layout.modelPrefix("wine", v.version()) + "report.html").orElseThrow()
                .bytes(), StandardCharsets.UTF_8);
        assertThat(html).contains("<table>", "<svg", "Feature importance (test rows)",
                "aria-label=\"feature importance\"").doesNotContain("<script");
        assertThat(ModelCard.records(p.store, "wine", run)).hasSize(6);
        Run ended = p.runToEnd(run);
        assertThat(ended.status()).isIn(RunStatus.SUCCEEDED, RunStatus.NOT_BLESSED);
    }

    @Test
    void aRowWhoseFeaturesAreAllEmpty_shouldBeReportedAndDropped_andEveryFamilyTrainWithoutIt() {
        // GIVEN iris with one more row: its label, and every feature empty
        p.store.putJson(Layout.config("iris"), Map.of("training", Map.of(
                "families", List.of("logistic-regression", "cart", "random-forest", "xgboost"),
                "grids", Map.of("random-forest", Map.of("numTrees", List.of("10"))))));
        String iris = Datasets.read("iris").strip();
        long rows = iris.lines().count() - 1;
        // WHEN it is uploaded and every candidate trains
        IngestionService.Outcome upload = p.upload("iris", iris + "\n,,,,setosa\n");
        List<TrainedCandidate> trained = p.train(upload.runId());
        // THEN validation reports the row as a warning that says it is dropped from training
        DatasetReport report = Json.read(p.store.find(upload.reportKey()).orElseThrow().bytes(), DatasetReport.class);
        assertThat(report.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.EMPTY_FEATURES);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.rows()).isEqualTo(1);
            assertThat(a.examples()).extracting(Anomaly.Example::line).containsExactly(rows + 2);
            assertThat(a.message()).contains("1 row(s)").contains("dropped from training");
        });
        // AND every family trained on the other rows only: no candidate failed on an example without features
        assertThat(trained).allSatisfy(c -> {
            assertThat(c.status()).as(c.candidate().algorithm() + ": " + c.reason()).isEqualTo(TrainedCandidate.TRAINED);
            assertThat(c.testRows()).isPositive();
        });
        JsonNode card = Json.tree(p.store.find(Layout.modelPrefix("iris", p.register(upload.runId(), trained).version())
                + "model-card.json").orElseThrow().bytes());
        assertThat(card.toString()).doesNotContain("Exception");
        assertThat((long) trained.get(0).trainRows() + trained.get(0).testRows()).isLessThanOrEqualTo(rows);
    }
}
