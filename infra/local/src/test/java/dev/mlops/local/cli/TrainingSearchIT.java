package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.search.CandidateRecord;
import dev.mlops.core.search.Leaderboard;
import dev.mlops.core.registry.ModelCard;
import dev.mlops.local.LocalEnvironmentExtension;
import dev.mlops.local.Repo;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The training search on the emulators, through the real state machine: the default search of the
 * bundled wine data fans out through the Map state (one TrainingFunction invocation per candidate,
 * several at once), every candidate is recorded, the best by validation score is registered with its
 * model card and report, and {@code ./mlops runs show} prints the leaderboard.
 */
@ExtendWith(LocalEnvironmentExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingSearchIT {

    private static final String DATASET = "wine-search-it";

    private LocalEnvironment env;
    private ObjectStore store;
    private Run run;
    private List<CandidateRecord> records;

    @BeforeAll
    void searchWine(LocalEnvironment environment) throws Exception {
        this.env = environment;
        String bucket = env.model().bucket().name();
        this.store = new S3ObjectStore(env.clients().s3(), bucket);
        byte[] wine = Files.readAllBytes(Repo.file("data/wine.csv"));
        env.clients().s3().putObject(b -> b.bucket(bucket).key("incoming/" + DATASET + "/wine.csv"),
                RequestBody.fromBytes(wine));
        RunLog runs = new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"), Clock.systemUTC());
        String runId = RunRequest.runIdFor(DATASET, Sha256.hex(wine));
        this.run = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> runs.find(runId).orElse(null), r -> r != null && r.status().ended());
        this.records = ModelCard.records(store, DATASET, runId);
    }

    @Test
    void theMap_shouldTrainEveryCandidate_ofSixFamilies_severalAtOnce() {
        // THEN the run succeeded and every candidate of the default search has its tracking record
        assertThat(run.status()).as("run %s: %s %s", run.runId(), run.error(), run.cause()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(records).hasSize(run.request().candidates().size()).hasSizeGreaterThanOrEqualTo(8);
        Set<String> families = records.stream().filter(r -> TrainedCandidate.TRAINED.equals(r.status()))
                .map(r -> r.spec().algorithm()).collect(Collectors.toSet());
        assertThat(families).hasSizeGreaterThanOrEqualTo(4)
                .contains("logistic-regression", "linear-svm", "cart", "random-forest", "extra-trees");
        for (CandidateRecord r : records.stream().filter(r -> TrainedCandidate.TRAINED.equals(r.status())).toList()) {
            assertThat(r.hyperParameters()).isNotEmpty();
            assertThat(r.validation()).containsKeys("accuracy", "macro_f1");
            assertThat(r.test()).containsKeys("accuracy", "macro_f1");
            assertThat(r.fitMillis()).isNotNull();
            assertThat(r.sha256()).matches("[0-9a-f]{64}");
            assertThat(Sha256.hex(store.find(r.artifactKey()).orElseThrow().bytes())).isEqualTo(r.sha256());
            assertThat(store.find(r.provenanceKey())).isPresent();
        }
        // AND the Map ran candidates at the same time (MaxConcurrency 4): two of them overlap in time
        boolean overlap = false;
        for (CandidateRecord a : records) {
            for (CandidateRecord b : records) {
                overlap |= a != b && a.startedAt().isBefore(b.endedAt()) && b.startedAt().isBefore(a.endedAt());
            }
        }
        assertThat(overlap).as("some candidates trained concurrently").isTrue();
    }

    @Test
    void theBestByValidation_shouldBeRegistered_withItsModelCardAndReport() throws Exception {
        // GIVEN the leaderboard's rule
        Leaderboard board = Leaderboard.of(records);
        Leaderboard.Entry best = board.selected().orElseThrow();
        // THEN version 1 is that candidate's artifact
        ModelVersion v1 = new DynamoModelRegistry(env.clients().dynamoDb(), env.model().tableName("ModelsTable"),
                env.model().tableName("AuditTable"), Clock.systemUTC()).find(DATASET, 1).orElseThrow();
        assertThat(v1.artifact().sha256()).isEqualTo(best.sha256());
        assertThat(v1.training().algorithm()).isEqualTo(best.algorithm());
        // AND its model card says what it is, how it was chosen and how it scored
        JsonNode card = Json.tree(store.find("models/" + DATASET + "/1/model-card.json").orElseThrow().bytes());
        assertThat(card.path("family").asText()).isEqualTo(best.algorithm());
        assertThat(card.path("dataset").path("version").asText()).isEqualTo(run.datasetVersion());
        assertThat(card.path("dataset").path("schema").path("label").asText()).isEqualTo("label");
        assertThat(card.path("signature").path("classes")).hasSize(3);
        assertThat(card.path("split").path("seed").asLong()).isEqualTo(42);
        assertThat(card.path("metrics").path("test").path("confusion").size()).isEqualTo(3);
        assertThat(card.path("metrics").path("validation").path("accuracy").asDouble())
                .isEqualTo(best.validationAccuracy());
        assertThat(card.path("provenance").isObject()).isTrue();
        assertThat(card.path("libraries").path("tribuo").asText()).isEqualTo("4.3.2");
        assertThat(card.path("hyper_parameters").size()).isGreaterThan(0);
        // AND a self-contained report
        String html = new String(store.find("models/" + DATASET + "/1/report.html").orElseThrow().bytes(),
                StandardCharsets.UTF_8);
        assertThat(html).contains("<svg", "Leaderboard", best.algorithm())
                .doesNotContain("<script", "src=", "href=", "@import", "url(", "<link");
    }

    @Test
    void runsShow_shouldPrintTheLeaderboard(@TempDir Path home) throws Exception {
        // GIVEN a --home that points at the running test stack
        Files.write(home.resolve("runtime.json"), Json.prettyBytes(env.info()));
        // (the build sets mlops.root to the repository, where template.yaml is)
        // WHEN
        StringWriter out = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("runs", "show", run.runId(), "--home=" + home);
        StringWriter json = new StringWriter();
        int jsonCode = Main.commandLine(new PrintWriter(json, true), new PrintWriter(new StringWriter(), true))
                .execute("runs", "show", run.runId(), "--json", "--home=" + home);
        StringWriter list = new StringWriter();
        int listCode = Main.commandLine(new PrintWriter(list, true), new PrintWriter(new StringWriter(), true))
                .execute("runs", "list", "--dataset", DATASET, "--home=" + home);
        // THEN
        assertThat(code).isZero();
        Leaderboard.Entry best = Leaderboard.of(records).selected().orElseThrow();
        assertThat(out.toString()).contains("leaderboard (" + records.size() + " candidates")
                .containsPattern("\\n1\\s+" + best.candidateIndex() + "\\s+" + best.algorithm());
        assertThat(jsonCode).isZero();
        JsonNode doc = Json.tree(json.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(doc.path("leaderboard")).hasSize(records.size());
        assertThat(doc.path("leaderboard").get(0).path("rank").asInt()).isEqualTo(1);
        assertThat(doc.path("leaderboard").get(0).path("sha256").asText()).isEqualTo(best.sha256());
        assertThat(listCode).isZero();
        assertThat(list.toString()).contains(run.runId()).contains("SUCCEEDED");
    }
}
