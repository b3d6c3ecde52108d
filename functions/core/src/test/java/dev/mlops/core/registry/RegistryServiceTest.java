package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.Promotion;
import dev.mlops.core.pipeline.Registration;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import dev.mlops.core.data.SplitSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry's rules, each hole found in the skeleton closed with a test: promotion from the
 * champion of the blessing only, a fair comparison on rows neither model trained on, nothing
 * promoted when the champion cannot be scored or an artifact does not match, finished runs never
 * rewritten, failed runs retried.
 */
class RegistryServiceTest {

    private final PipelineHarness p = new PipelineHarness();
    private final String wine = Datasets.read("wine");

    private String uploadAndRun(String dataset, String csv) {
        IngestionService.Outcome outcome = p.upload(dataset, dataset + "-" + csv.hashCode() + ".csv", csv, Map.of());
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(IngestionService.Status.VALID);
        p.runToEnd(outcome.runId());
        return outcome.runId();
    }

    private String uploadOnly(String dataset, String csv) {
        IngestionService.Outcome outcome = p.upload(dataset, dataset + "-" + csv.hashCode() + ".csv", csv, Map.of());
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(IngestionService.Status.VALID);
        return outcome.runId();
    }

    private Integer production(String model) {
        return p.registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
    }

    // ------------------------------------------------------------------ promotion is a compare-and-set

    @Test
    void promote_shouldNotOverwriteAProductionThatMovedAfterTheBlessing() {
        // GIVEN v1 in production, and two runs blessed against v1: v2 waits, v3 is promoted first
        uploadAndRun("wine", wine);
        String run2 = uploadOnly("wine", Datasets.shuffled(wine, 2));
        Registration v2 = p.register(run2, p.train(run2));
        String run3 = uploadOnly("wine", Datasets.shuffled(wine, 3));
        Registration v3 = p.register(run3, p.train(run3));
        assertThat(v2.blessed()).isTrue();
        assertThat(v2.championVersion()).isEqualTo(1);
        assertThat(p.promote(run3, v3).outcome()).isEqualTo(Promotion.Outcome.PROMOTED);
        // WHEN the run blessed against v1 reaches its promotion
        Promotion late = p.promote(run2, v2);
        // THEN production stays at v3, and the run says why it did not promote
        assertThat(late.outcome()).isEqualTo(Promotion.Outcome.CHAMPION_MOVED);
        assertThat(production("wine")).isEqualTo(3);
        Run run = p.runs.find(run2).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.CHAMPION_MOVED);
        assertThat(run.reason()).contains("production moved to v3 after v2 was blessed against v1")
                .contains("nothing was overwritten");
        assertThat(run.productionVersion()).isEqualTo(3);
    }

    @Test
    void promote_shouldRefuseAnExpectedChampionOtherThanTheOneOfTheBlessing() {
        // GIVEN v1 in production and v2 blessed against it
        uploadAndRun("wine", wine);
        String run2 = uploadOnly("wine", Datasets.shuffled(wine, 2));
        Registration v2 = p.register(run2, p.train(run2));
        // WHEN a hand-written promote claims there was no champion
        // THEN it is refused and nothing moves
        assertThatThrownBy(() -> p.registryService.promote(new RegistryTask.Promote(run2, "wine", 2, null)))
                .isInstanceOf(ContractException.class).hasMessageContaining("was blessed against v1");
        assertThat(production("wine")).isEqualTo(1);
        assertThat(p.promote(run2, v2).outcome()).isEqualTo(Promotion.Outcome.PROMOTED);
    }

    @Test
    void promote_retried_shouldAnswerAlreadyPromotedAndChangeNothing() {
        // GIVEN a run that promoted its version
        String run = uploadAndRun("wine", wine);
        // WHEN the step is retried
        Promotion again = p.registryService.promote(new RegistryTask.Promote(run, "wine", 1, null));
        // THEN
        assertThat(again.outcome()).isEqualTo(Promotion.Outcome.ALREADY_PROMOTED);
        assertThat(p.registry.auditTrail("wine")).filteredOn(e -> e.action().equals("promote")).hasSize(1);
    }

    // ------------------------------------------------------------------ a fair comparison

    @Test
    void shuffledReupload_shouldGiveChampionAndChallengerEqualScoresAndBeBlessedAsATie() {
        // GIVEN v1 trained on wine.csv
        uploadAndRun("wine", wine);
        // WHEN the same rows are uploaded in another order
        String run = uploadOnly("wine", Datasets.shuffled(wine, 7));
        Registration r = p.register(run, p.train(run));
        // THEN both models are the same model, scored on the same rows: equal scores, a tie, blessed
        assertThat(r.challengerScore()).isEqualTo(r.championScore());
        assertThat(r.blessed()).isTrue();
        assertThat(r.comparedRows()).isPositive();
        assertThat(r.reason()).contains("rows neither model trained on").contains("margin 0.0000");
        ModelVersion v1 = p.registry.find("wine", 1).orElseThrow();
        ModelVersion v2 = p.registry.find("wine", 2).orElseThrow();
        assertThat(v2.artifact().sha256()).isEqualTo(v1.artifact().sha256());
    }

    @Test
    void moreRowsOfTheSameData_shouldBeComparedOnlyOnRowsTheChampionNeverTrainedOn() {
        // GIVEN v1 trained on 70 % of the rows, then all rows (43 % more) uploaded
        String shuffled = Datasets.shuffled(wine, 11);
        String smaller = Datasets.head(shuffled, 124);
        String run1 = uploadAndRun("wine", smaller);
        String run2 = uploadOnly("wine", wine);
        // WHEN the challenger is judged
        Registration r = p.register(run2, p.train(run2));
        // THEN no compared row was in the champion's training rows
        CsvTable champion = TestTables.of(smaller);
        CsvTable challenger = TestTables.of(wine);
        Schema schema = Schema.infer(challenger, "label");
        SplitSpec spec = p.request(run1).candidates().get(0).split();
        Set<List<String>> championTrained = new HashSet<>();
        int[] cc = SplitSpec.columns(champion, schema);
        for (int row : spec.split(champion, schema).trainRows()) {
            championTrained.add(SplitSpec.cells(champion.rows().get(row), cc));
        }
        int[] cols = SplitSpec.columns(challenger, schema);
        int compared = 0;
        for (int row : spec.split(challenger, schema).testRows()) {
            assertThat(championTrained).doesNotContain(SplitSpec.cells(challenger.rows().get(row), cols));
            compared++;
        }
        assertThat(r.comparedRows()).isEqualTo(compared);
        assertThat(r.championScore()).isNotNull();
    }

    @Test
    void aWorseChallenger_shouldNotBeBlessed_andTheChampionKeepsServing() {
        // GIVEN v1 on wine, then wine whose training rows are mislabelled
        uploadAndRun("wine", wine);
        String noisy = Datasets.corruptTrainingLabels(wine, "label");
        String run = uploadOnly("wine", noisy);
        // WHEN
        Run ended = p.runToEnd(run);
        // THEN
        assertThat(ended.status()).isEqualTo(RunStatus.NOT_BLESSED);
        assertThat(ended.reason()).startsWith("accuracy ").contains(" vs champion v1 ");
        assertThat(production("wine")).isEqualTo(1);
    }

    @Test
    void tieMargin_shouldComeFromTheDatasetConfigAndBeWrittenInTheReason() {
        // GIVEN a config that demands a clear win of 0.05
        p.store.putJson(Layout.config("wine"), Map.of("blessing", Map.of("metric", "macro_f1", "margin", -0.05)));
        uploadAndRun("wine", wine);
        // WHEN the same rows come again (a tie)
        String run = uploadOnly("wine", Datasets.shuffled(wine, 5));
        Registration r = p.register(run, p.train(run));
        // THEN a tie is not enough, and the reason says so
        assertThat(r.blessed()).isFalse();
        assertThat(r.metric()).isEqualTo("macro_f1");
        assertThat(r.reason()).startsWith("macro_f1 ").contains("margin -0.0500");
    }

    // ------------------------------------------------------------------ nothing promoted on doubt

    @Test
    void aChampionWhoseArtifactIsMissing_shouldNeverBlessTheChallenger() {
        // GIVEN v1 in production whose artifact is gone
        uploadAndRun("wine", wine);
        p.store.delete(p.registry.find("wine", 1).orElseThrow().artifact().modelKey());
        // WHEN a new run is judged
        String run = uploadOnly("wine", Datasets.shuffled(wine, 3));
        Run ended = p.runToEnd(run);
        // THEN it is not blessed, says why, and production is untouched
        assertThat(ended.status()).isEqualTo(RunStatus.NOT_BLESSED);
        assertThat(ended.reason()).contains("champion v1 cannot be scored").contains("is missing");
        assertThat(production("wine")).isEqualTo(1);
    }

    @Test
    void aChampionThatCannotReadThisDataset_shouldNeverBlessTheChallenger() {
        // GIVEN v1 trained with a column the next upload no longer has (the schema is edited to allow it)
        uploadAndRun("wine", wine);
        String fewer = dropColumn(wine, "magnesium");
        p.store.delete(Layout.schema("wine"));
        // WHEN
        String run = uploadOnly("wine", fewer);
        Run ended = p.runToEnd(run);
        // THEN
        assertThat(ended.status()).isEqualTo(RunStatus.NOT_BLESSED);
        assertThat(ended.reason()).contains("champion v1 cannot be scored")
                .contains("its feature \"magnesium\" is not a column of this dataset");
        assertThat(production("wine")).isEqualTo(1);
    }

    @Test
    void register_shouldRefuseACandidateWhoseArtifactIsMissingOrTampered() {
        // GIVEN a trained run
        String run = uploadOnly("wine", wine);
        List<TrainedCandidate> trained = p.train(run);
        TrainedCandidate c = trained.get(0);
        // WHEN its artifact is overwritten, THEN registration is refused and nothing is registered
        p.store.put(c.artifactKey(), "not a model".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThatThrownBy(() -> p.register(run, trained)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("has sha256").hasMessageContaining("but the registry records " + c.sha256());
        // WHEN it is gone, THEN the same
        p.store.delete(c.artifactKey());
        assertThatThrownBy(() -> p.register(run, trained)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("is missing");
        assertThat(p.registry.versions("wine")).isEmpty();
        assertThat(p.runs.find(run).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void promote_shouldRefuseAVersionWhoseArtifactChangedAfterRegistration() {
        // GIVEN v1 registered, blessed, not yet promoted; then its artifact is replaced
        String run = uploadOnly("wine", wine);
        Registration v1 = p.register(run, p.train(run));
        p.store.put(p.registry.find("wine", 1).orElseThrow().artifact().modelKey(), new byte[] {1, 2, 3}, "x");
        // WHEN / THEN
        assertThatThrownBy(() -> p.promote(run, v1)).isInstanceOf(IntegrityException.class);
        assertThat(production("wine")).isNull();
    }

    @Test
    void register_retried_shouldReturnTheSameVersionAndRegisterNothingMore() {
        // GIVEN
        String run = uploadOnly("wine", wine);
        List<TrainedCandidate> trained = p.train(run);
        Registration first = p.register(run, trained);
        // WHEN
        Registration again = p.register(run, trained);
        // THEN
        assertThat(again).isEqualTo(first);
        assertThat(p.registry.versions("wine")).hasSize(1);
    }

    // ------------------------------------------------------------------ finished runs are never rewritten

    @Test
    void recordFailure_shouldNeverTouchAFinishedRun() {
        // GIVEN a run that succeeded
        String run = uploadAndRun("wine", wine);
        // WHEN a failure is recorded for it (events/RegistryFunction/record-failure.json, say)
        RegistryService.FailureRecorded result = p.registryService.recordFailure(new RegistryTask.RecordFailure(run,
                "wine", Map.of("Error", "java.lang.IllegalStateException", "Cause", "fake")));
        // THEN
        assertThat(result.recorded()).isFalse();
        assertThat(result.reason()).contains("is SUCCEEDED");
        assertThat(p.runs.find(run).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(p.runs.find(run).orElseThrow().cause()).isNull();
    }

    @Test
    void recordFailure_shouldNotCreateAPhantomRun() {
        // WHEN a failure is recorded for a run that does not exist
        RegistryService.FailureRecorded result = p.registryService.recordFailure(new RegistryTask.RecordFailure(
                "iris-d3b09efd6de0066a211e69284451f0d4", "iris", Map.of("Error", "E", "Cause", "C")));
        // THEN nothing exists afterwards
        assertThat(result.recorded()).isFalse();
        assertThat(p.runs.find("iris-d3b09efd6de0066a211e69284451f0d4")).isEmpty();
        assertThat(p.registry.auditTrail("iris")).isEmpty();
    }

    @Test
    void register_shouldRefuseARunThatDoesNotExistOrHasEnded() {
        // GIVEN a finished run and its trained candidates
        String run = uploadOnly("wine", wine);
        List<TrainedCandidate> trained = p.train(run);
        // WHEN the run does not exist (a sample event on a fresh stack)
        assertThatThrownBy(() -> p.registryService.register(new RegistryTask.Register("wine-00000000000000000000000000000000",
                "wine", p.request(run).datasetVersion(), "wine", "label", p.request(run).source(), trained, null)))
                .isInstanceOf(ContractException.class).hasMessageContaining("there is no run");
        // THEN nothing was registered
        assertThat(p.registry.versions("wine")).isEmpty();
    }

    // ------------------------------------------------------------------ a failed run can be retried

    @Test
    void retry_shouldStartANewAttemptLinkedToTheFailedRun() {
        // GIVEN a run that failed
        String run = uploadOnly("wine", wine);
        p.registryService.recordFailure(new RegistryTask.RecordFailure(run, "wine",
                Map.of("Error", "dev.mlops.core.errors.TransientException", "Cause", "S3 was down")));
        // WHEN it is retried
        RegistryService.RetryStarted retry = p.registryService.retry(new RegistryTask.RetryRun(run));
        // THEN a new run with its own execution name runs the same request
        assertThat(retry.newRunId()).isEqualTo(run + "-r2");
        Run attempt = p.runs.find(run + "-r2").orElseThrow();
        assertThat(attempt.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(attempt.attempt()).isEqualTo(2);
        assertThat(attempt.retryOf()).isEqualTo(run);
        assertThat(p.request(run + "-r2")).isEqualTo(p.request(run).withRunId(run + "-r2"));
        // AND the new attempt runs to the end
        assertThat(p.runToEnd(run + "-r2").status()).isEqualTo(RunStatus.SUCCEEDED);
        // AND a retry of a retry numbers on
        assertThatThrownBy(() -> p.registryService.retry(new RegistryTask.RetryRun(run + "-r2")))
                .isInstanceOf(ContractException.class).hasMessageContaining("is SUCCEEDED");
    }

    @Test
    void retry_shouldRefuseARunThatIsBeingRetried() {
        // GIVEN a failed run retried once (the retry still running)
        String run = uploadOnly("wine", wine);
        p.registryService.recordFailure(new RegistryTask.RecordFailure(run, "wine", Map.of("Error", "E")));
        p.registryService.retry(new RegistryTask.RetryRun(run));
        // WHEN / THEN
        assertThatThrownBy(() -> p.registryService.retry(new RegistryTask.RetryRun(run)))
                .isInstanceOf(ContractException.class).hasMessageContaining("being retried already as " + run + "-r2");
        assertThat(p.launcher.started()).hasSize(2);
    }

    private static String dropColumn(String csv, String column) {
        String[] lines = csv.strip().split("\n");
        List<String> header = List.of(lines[0].split(","));
        int drop = header.indexOf(column);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",");
            for (int c = 0, written = 0; c < cells.length; c++) {
                if (c != drop) {
                    out.append(written++ == 0 ? "" : ",").append(cells[c]);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
