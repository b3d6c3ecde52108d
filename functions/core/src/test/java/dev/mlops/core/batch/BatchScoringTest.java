package dev.mlops.core.batch;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvParts;
import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.family.XGBoost;
import dev.mlops.core.model.family.XGBoostSupport;
import dev.mlops.core.model.explain.Explainer;
import dev.mlops.core.model.explain.Explanation;
import dev.mlops.core.ports.memory.InMemoryBatchJobs;
import dev.mlops.core.serving.ServedModels;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import dev.mlops.core.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class BatchScoringTest {

    private PipelineHarness p;
    private InMemoryBatchJobs jobs;
    private ServedModels models;
    private BatchScoring batch;

    @BeforeEach
    void trainIris() {
        trainIris(LogisticRegression.ID);
    }

    /** A fresh pipeline whose production iris model is of this family. */
    private void trainIris(String family) {
        p = new PipelineHarness();
        jobs = new InMemoryBatchJobs();
        p.store.putJson(Layout.config("iris"), Map.of("training", Map.of("families", List.of(family))));
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        models = new ServedModels(p.store, p.registry, p.metrics, p.clock, Runnable::run);
        batch = new BatchScoring(p.store, models, jobs, p.clock, BatchScoring.DEFAULTS);
    }

    /** XGBoost's rows go through the dense batch path ({@code DenseBatch}), the others through {@code predict}. */
    @ParameterizedTest
    @ValueSource(strings = {LogisticRegression.ID, XGBoost.ID})
    void malformedRows_shouldGetTheirReason_goodRowsTheirPrediction_inInputOrder_andTheCountsAddUp(String family) {
        if (family.equals(XGBoost.ID)) {
            assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
        }
        trainIris(family);
        assertThat(((ServedModels.Found) models.production("iris")).served().predictor().denseBatch().isPresent())
                .as("the dense path").isEqualTo(family.equals(XGBoost.ID));
        // GIVEN the iris rows with bad ones among them, an id column the model does not know, in small parts
        List<String> lines = new ArrayList<>();
        String[] iris = Datasets.read("iris").split("\n");
        for (int i = 1; i < iris.length; i++) {
            lines.add("r" + i + "," + iris[i].strip());
        }
        lines.add(7, "bad-count,5.1,3.5");
        lines.add(20, "bad-number,five,3.5,1.4,0.2,setosa");
        lines.add(40, "bad-quote,\"5.1,3.5,1.4,0.2,setosa");
        lines.add(60, "bad-empty,,,,,setosa");
        lines.add(80, "bad-chars,\"5.1\"x,3.5,1.4,0.2,setosa");
        lines.add(100, "#hash,5.1,3.5,1.4,0.2,setosa");
        lines.add(110, "bad-many,5.1,3.5,1.4,0.2,setosa,extra");
        String csv = "id,sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label\n"
                + String.join("\n", lines) + "\n";
        p.store.put("batch/iris/j1.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        // WHEN planned, each part scored (the third one twice: a retried invocation), and joined
        BatchPlan plan = batch.plan(new BatchRequest("iris", "j1", "batch/iris/j1.csv", null, null, 600L, null));
        assertThat(plan.parts()).isGreaterThan(3);
        assertThat(plan.maxConcurrency()).isEqualTo(BatchScoring.DEFAULTS.maxConcurrency());
        assertThat(jobs.find("iris", "j1").orElseThrow().status()).isEqualTo(BatchJob.RUNNING);
        List<CsvParts.Part> parts = List.of(Json.read(p.store.find(plan.partsKey()).orElseThrow().bytes(),
                CsvParts.Part[].class));
        for (CsvParts.Part part : parts) {
            batch.scorePart(new PartTask(plan, part));
        }
        batch.scorePart(new PartTask(plan, parts.get(2)));
        BatchSummary summary = batch.finish(plan);
        // THEN every input row is in the output once, in order, the bad ones with their reason
        List<CsvRecord> out = read(p.store.find(Layout.batchOutput("iris", "j1")).orElseThrow().bytes());
        assertThat(out.get(0).getFields()).containsExactly("id", "sepal_length_cm", "sepal_width_cm",
                "petal_length_cm", "petal_width_cm", "label", "prediction", "score_setosa", "score_versicolor",
                "score_virginica", "error");
        List<CsvRecord> rows = out.subList(1, out.size());
        ServedModels.Served served = ((ServedModels.Found) models.production("iris")).served();
        assertThat(rows).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).substring(0, lines.get(i).indexOf(','));
            CsvRecord row = rows.get(i);
            if (id.startsWith("bad-chars")) {
                assertThat(row.getField(0)).isEqualTo(lines.get(i));
                assertThat(row.getField(10)).startsWith("not a valid CSV line");
            } else if (id.startsWith("bad-")) {
                assertThat(row.getField(0)).isEqualTo(id);
                assertThat(row.getField(6)).isEmpty();
                assertThat(row.getField(10)).isNotEmpty();
            } else {
                assertThat(row.getField(0)).isEqualTo(id);
                // the label and scores :predict gives the same row
                Prediction online = served.predictor().predict(List.of(Map.of("sepal_length_cm", row.getField(1),
                        "sepal_width_cm", row.getField(2), "petal_length_cm", row.getField(3), "petal_width_cm",
                        row.getField(4)))).get(0);
                assertThat(row.getField(6)).as(id).isEqualTo(online.label());
                assertThat(Double.parseDouble(row.getField(7))).isEqualTo(online.scores().get("setosa"));
                assertThat(row.getField(10)).isEmpty();
                double sum = Double.parseDouble(row.getField(7)) + Double.parseDouble(row.getField(8))
                        + Double.parseDouble(row.getField(9));
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(rows.get(7).getField(10)).isEqualTo("expected 6 fields as in the header, found 3");
        assertThat(rows.get(20).getField(10)).contains("sepal_length_cm").contains("expected a number");
        assertThat(rows.get(40).getField(10)).isEqualTo("expected 6 fields as in the header, found 2");
        assertThat(rows.get(60).getField(10)).contains("no feature has a usable value");
        assertThat(rows.get(110).getField(10)).isEqualTo("expected 6 fields as in the header, found 7");
        assertThat(rows.get(110).getFields().subList(0, 6)).containsExactly("bad-many", "5.1", "3.5", "1.4", "0.2",
                "setosa");
        // and each part says how many of its rows the dense path answered: every good one, or none
        long dense = 0;
        for (CsvParts.Part part : parts) {
            dense += p.store.findJson(Layout.batchPartSummary("iris", "j1", part.part()), PartResult.class)
                    .orElseThrow().denseRows();
        }
        assertThat(dense).isEqualTo(family.equals(XGBoost.ID) ? summary.scored() : 0);
        // and the summary's counts add up
        assertThat(summary.rows()).isEqualTo(lines.size());
        assertThat(summary.errors()).isEqualTo(6);
        assertThat(summary.scored() + summary.errors()).isEqualTo(summary.rows());
        assertThat(summary.predictions().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(summary.scored());
        assertThat(summary.version()).isEqualTo(1);
        assertThat(p.store.findJson(Layout.batchSummary("iris", "j1"), BatchSummary.class)).contains(summary);
        assertThat(jobs.find("iris", "j1").orElseThrow()).satisfies(j -> {
            assertThat(j.status()).isEqualTo(BatchJob.SUCCEEDED);
            assertThat(j.rows()).isEqualTo(lines.size());
            assertThat(j.errors()).isEqualTo(6);
            assertThat(j.output()).isEqualTo(Layout.batchOutput("iris", "j1"));
        });
    }

    @Test
    void aJobThatCannotRun_shouldBeRefusedWithTheReason_andRecordedFailed() {
        p.store.put("batch/iris/j2.csv", "id,sepal_length_cm\n1,5.1\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThatThrownBy(() -> batch.plan(new BatchRequest("iris", "j2", "batch/iris/j2.csv", null, null, null,
                null)))
                .isInstanceOf(ContractException.class).hasMessageContaining("lacks the model's features")
                .hasMessageContaining("petal_width_cm");
        assertThatThrownBy(() -> batch.plan(new BatchRequest("iris", "j3", "batch/iris/none.csv", null, null, null,
                null)))
                .isInstanceOf(ContractException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> batch.plan(new BatchRequest("nope", "j4", "batch/iris/j2.csv", null, null, null,
                null)))
                .isInstanceOf(ContractException.class);
        assertThatThrownBy(() -> batch.plan(new BatchRequest("iris", "j5", "batch/iris/j2.csv", null, 7, null, null)))
                .isInstanceOf(ContractException.class);
        BatchJob failed = batch.fail("iris", "j2", "batch/iris/j2.csv", "Batch.Refused", "no features");
        assertThat(jobs.find("iris", "j2")).contains(failed);
        assertThat(failed.status()).isEqualTo(BatchJob.FAILED);
        assertThat(failed.reason()).isEqualTo("Batch.Refused: no features");
    }

    @Test
    void explain_shouldGiveEachScoredRowItsLargestContributions_andBadRowsNone() {
        explainsEachRowAsExplainDoes("iris");
    }

    @Test
    void aBareXGBoostModel_shouldBeScoredAndExplainedByTreeShap_asExplainDoes() {
        // GIVEN iris served by an XGBoost model, trained from arrays and stored bare (no standardising wrapper)
        p.store.putJson(Layout.config("iris-xgb"), Map.of("training", Map.of("families", List.of("xgboost"))));
        p.runToEnd(p.upload("iris-xgb", Datasets.read("iris")).runId());
        ServedModels.Served served = ((ServedModels.Found) models.production("iris-xgb")).served();
        assertThat(served.predictor().model().getClass().getName())
                .isEqualTo("org.tribuo.common.xgboost.XGBoostModel");
        assertThat(Explainer.of(served.predictor()).method()).isEqualTo(Explainer.TREE_SHAP);
        // THEN its batch job scores and explains every row as :explain does
        explainsEachRowAsExplainDoes("iris-xgb");
    }

    private void explainsEachRowAsExplainDoes(String dataset) {
        // GIVEN the iris rows and a bad one, to be scored with the two largest contributions per row
        String[] iris = Datasets.read("iris").split("\n");
        List<String> lines = new ArrayList<>(List.of(iris).subList(1, iris.length).stream().map(String::strip)
                .toList());
        lines.add(3, "five,3.5,1.4,0.2,setosa");
        p.store.put("batch/" + dataset + "/x1.csv", (iris[0].strip() + "\n" + String.join("\n", lines) + "\n")
                .getBytes(StandardCharsets.UTF_8), "text/csv");
        // WHEN planned with explain 2, scored in parts and joined
        BatchPlan plan = batch.plan(new BatchRequest(dataset, "x1", "batch/" + dataset + "/x1.csv", null, null,
                1_000L, 2));
        for (CsvParts.Part part : Json.read(p.store.find(plan.partsKey()).orElseThrow().bytes(),
                CsvParts.Part[].class)) {
            batch.scorePart(new PartTask(plan, part));
        }
        BatchSummary summary = batch.finish(plan);
        // THEN a contributions column sits before the error, and the summary names the method
        List<CsvRecord> out = read(p.store.find(Layout.batchOutput(dataset, "x1")).orElseThrow().bytes());
        assertThat(out.get(0).getFields()).containsExactly("sepal_length_cm", "sepal_width_cm", "petal_length_cm",
                "petal_width_cm", "label", "prediction", "score_setosa", "score_versicolor", "score_virginica",
                "contributions", "error");
        ServedModels.Served served = ((ServedModels.Found) models.production(dataset)).served();
        Explainer explainer = Explainer.of(served.predictor());
        assertThat(summary.contributions()).isEqualTo(explainer.method());
        assertThat(out).hasSize(lines.size() + 1);
        for (int i = 0; i < lines.size(); i++) {
            CsvRecord row = out.get(i + 1);
            if (i == 3) {
                assertThat(row.getField(9)).isEmpty();
                assertThat(row.getField(10)).contains("sepal_length_cm");
                continue;
            }
            // each row's two named contributions are its two largest by absolute size, as :explain computes them
            Map<String, String> instance = Map.of("sepal_length_cm", row.getField(0), "sepal_width_cm",
                    row.getField(1), "petal_length_cm", row.getField(2), "petal_width_cm", row.getField(3));
            Explanation online = explainer.explain(List.of(instance)).get(0).explanation();
            String[] pairs = row.getField(9).split(";");
            assertThat(pairs).as("row %d", i).hasSize(2);
            double smallestShown = Double.MAX_VALUE;
            List<String> shown = new ArrayList<>();
            for (String pair : pairs) {
                String feature = pair.substring(0, pair.indexOf('='));
                double value = Double.parseDouble(pair.substring(pair.indexOf('=') + 1));
                double exact = online.contributions().get(feature);
                assertThat(value).as("row %d %s", i, feature).isCloseTo(exact,
                        org.assertj.core.data.Offset.offset(Math.abs(exact) * 1e-5 + 1e-12));
                smallestShown = Math.min(smallestShown, Math.abs(exact));
                shown.add(feature);
            }
            assertThat(Math.abs(online.contributions().get(shown.get(0))))
                    .isGreaterThanOrEqualTo(Math.abs(online.contributions().get(shown.get(1))));
            for (Map.Entry<String, Double> other : online.contributions().entrySet()) {
                if (!shown.contains(other.getKey())) {
                    assertThat(Math.abs(other.getValue())).as("row %d %s", i, other.getKey())
                            .isLessThanOrEqualTo(smallestShown);
                }
            }
            assertThat(row.getField(10)).isEmpty();
        }
        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.scored()).isEqualTo(lines.size() - 1);
    }

    @Test
    void planNew_shouldPlanAJobOnce_andLeaveOneThatCannotBePlannedToThePlanStep() {
        p.store.put("batch/iris/n1.csv", ("sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n"
                + "5.1,3.5,1.4,0.2\n").getBytes(StandardCharsets.UTF_8), "text/csv");
        BatchRequest request = new BatchRequest("iris", "n1", "batch/iris/n1.csv", null, null, null, null);
        BatchPlan plan = batch.planNew(request).orElseThrow();
        assertThat(plan.parts()).isEqualTo(1);
        assertThat(jobs.find("iris", "n1").orElseThrow().status()).isEqualTo(BatchJob.RUNNING);
        // a repeated event: the job has its record, so it is not planned again
        assertThat(batch.planNew(request)).isEmpty();
        // a model that does not exist: no plan and no record (the state machine's Plan step records why)
        p.store.put("batch/nomodel/n2.csv", "a\n1\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(batch.planNew(new BatchRequest("nomodel", "n2", "batch/nomodel/n2.csv", null, null, null, null)))
                .isEmpty();
        assertThat(jobs.find("nomodel", "n2")).isEmpty();
    }

    /**
     * A part is scored {@code Predictor.MAX_INSTANCES} lines at a time: one part of 2,550 lines (bad ones on either
     * side of each batch's edge) gives byte for byte the output of small parts that never reach a batch's edge.
     */
    @ParameterizedTest
    @ValueSource(strings = {LogisticRegression.ID, XGBoost.ID})
    void aPartOfManyBatches_shouldScoreAsSmallParts(String family) {
        if (family.equals(XGBoost.ID)) {
            assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
        }
        trainIris(family);
        List<String> lines = new ArrayList<>();
        String[] iris = Datasets.read("iris").split("\n");
        for (int copy = 0; lines.size() < 2_550; copy++) {
            for (int i = 1; i < iris.length && lines.size() < 2_550; i++) {
                lines.add("r" + copy + "-" + i + "," + iris[i].strip());
            }
        }
        for (int at : new int[] {998, 999, 1000, 1001, 1999, 2000, 2549}) {
            lines.set(at, at % 2 == 0 ? "bad-" + at + ",5.1,3.5" : "bad-" + at + ",x,3.5,1.4,0.2,setosa");
        }
        String csv = "id,sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label\n"
                + String.join("\n", lines) + "\n";
        p.store.put("batch/iris/one.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        p.store.put("batch/iris/many.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        BatchSummary one = scoreAll(new BatchRequest("iris", "one", "batch/iris/one.csv", null, null,
                (long) csv.length(), null), 1);
        BatchSummary many = scoreAll(new BatchRequest("iris", "many", "batch/iris/many.csv", null, null, 8_000L,
                null), 10);
        assertThat(one.rows()).isEqualTo(2_550);
        assertThat(one.errors()).isEqualTo(7);
        assertThat(one.predictions()).isEqualTo(many.predictions());
        byte[] joined = p.store.find(Layout.batchOutput("iris", "one")).orElseThrow().bytes();
        assertThat(read(joined)).hasSize(2_551);
        assertThat(new String(joined, StandardCharsets.UTF_8)).isEqualTo(new String(p.store.find(
                Layout.batchOutput("iris", "many")).orElseThrow().bytes(), StandardCharsets.UTF_8));
    }

    /** Plans, scores every part and joins; the plan has at least {@code minParts} parts. */
    private BatchSummary scoreAll(BatchRequest request, int minParts) {
        BatchPlan plan = batch.plan(request);
        assertThat(plan.parts()).isGreaterThanOrEqualTo(minParts);
        for (CsvParts.Part part : Json.read(p.store.find(plan.partsKey()).orElseThrow().bytes(), CsvParts.Part[].class)) {
            batch.scorePart(new PartTask(plan, part));
        }
        return batch.finish(plan);
    }

    @Test
    void explain_shouldBeAtLeastOne_andReadFromTheUploadsMetadata() {
        assertThatThrownBy(() -> new BatchRequest("iris", "x2", "batch/iris/x2.csv", null, null, null, 0))
                .isInstanceOf(ContractException.class).hasMessageContaining("explain must be at least 1");
        assertThat(BatchRequest.forUpload("batch/iris/x2.csv", "v1", Map.of(BatchRequest.EXPLAIN, "3")))
                .contains(new BatchRequest("iris", "x2", "batch/iris/x2.csv", "v1", null, null, 3));
        assertThatThrownBy(() -> BatchRequest.forUpload("batch/iris/x2.csv", "v1", Map.of(BatchRequest.EXPLAIN,
                "all"))).isInstanceOf(ContractException.class).hasMessageContaining("explain");
    }

    @Test
    void batchInputKeys_shouldBeTold_fromTheJobsOutputs() {
        assertThat(Layout.parseBatchInput("batch/iris/j1.csv")).contains(new Layout.BatchInput("iris", "j1"));
        assertThat(Layout.parseBatchInput("batch/iris/j1/out/scored.csv")).isEmpty();
        assertThat(Layout.parseBatchInput("batch/iris.csv")).isEmpty();
        assertThat(Layout.parseBatchInput("incoming/iris/j1.csv")).isEmpty();
        assertThat(Layout.parseBatchInput("batch/Iris/j1.csv")).isEmpty();
        assertThat(Map.of("k", Layout.batchInput("iris", "j1"))).containsValue("batch/iris/j1.csv");
    }

    private static List<CsvRecord> read(byte[] csv) {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(new String(csv, StandardCharsets.UTF_8))) {
            return reader.stream().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
