package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.Run;
import dev.mlops.local.LocalEnvironmentExtension;
import dev.mlops.local.Repo;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops upload --wait} on bytes the pipeline has already trained, asking for another model: the answer
 * is DUPLICATE naming the model and version the bytes made, says the model asked for was not trained, and exits 1
 * (it did not do what was asked); no run, no version of the other model is made.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class UploadDuplicateIT {

    @Test
    void theSameBytesForAnotherModel_shouldBeADuplicateNamingTheExistingVersion_andExit1(LocalEnvironment env,
                                                                                      @TempDir Path files)
            throws Exception {
        // GIVEN iris uploaded to dup-it and trained to dup-it v1 (one candidate a run, to keep it short)
        new S3ObjectStore(env.clients().s3(), env.model().bucket().name()).putJson(Layout.config("dup-it"),
                Map.of("training", Map.of("families", List.of("logistic-regression"))));
        Path first = Files.copy(Repo.file("data/iris.csv"), files.resolve("iris.csv"));
        Cli trained = mlops(env, "upload", first.toString(), "--dataset", "dup-it", "--wait", "--json");
        assertThat(trained.code).as(trained.out + trained.err).isZero();
        JsonNode v1 = trained.json();
        assertThat(v1.path("status").asText()).isEqualTo("VALID");
        assertThat(v1.path("run_status").asText()).isEqualTo("SUCCEEDED");
        int version = v1.path("version").asInt();
        String runId = v1.path("run_id").asText();

        // WHEN the same bytes are uploaded under another name, asking for model thirdmodel
        Path again = Files.copy(first, files.resolve("again.csv"));
        Cli duplicate = mlops(env, "upload", again.toString(), "--dataset", "dup-it", "--model", "thirdmodel",
                "--wait", "--json");

        // THEN the answer is DUPLICATE: it names the run, model and version the bytes made, and that thirdmodel was
        // not trained; the exit code says the upload did not do what was asked
        assertThat(duplicate.code).as(duplicate.out + duplicate.err).isEqualTo(1);
        JsonNode out = duplicate.json();
        assertThat(out.path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(out.path("reason").asText())
                .contains("run " + runId + " is SUCCEEDED, model dup-it v" + version)
                .contains("model thirdmodel was not trained and no version of it was created");
        assertThat(out.path("model").asText()).isEqualTo("dup-it");
        assertThat(out.path("model_not_trained").asBoolean()).isTrue();
        // AND nothing was made for thirdmodel: no version, no run of those bytes but the first
        assertThat(new DynamoModelRegistry(env.clients().dynamoDb(), env.model().tableName("ModelsTable"),
                env.model().tableName("AuditTable"), Clock.systemUTC()).versions("thirdmodel")).isEmpty();
        assertThat(new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"), Clock.systemUTC())
                .recent("dup-it", 10)).extracting(Run::runId).containsExactly(runId);
        // AND a person reading the summary is told the same
        String summary = UploadCommand.summary(Json.MAPPER.convertValue(out, Map.class));
        assertThat(summary).startsWith("DUPLICATE: ").contains("model thirdmodel was not trained")
                .contains("model dup-it v" + version);
    }

    @Test
    void tenUploadsOfOneFileAtOnce_eachWithWait_shouldAllReturnTheOutcomeOfTheirOwnVersion(LocalEnvironment env,
                                                                                        @TempDir Path files)
            throws Exception {
        // GIVEN one file, named with a space and parentheses (a key that URL encoding changes, which S3Mock's version
        // listing once answered with a 500) (one candidate a run, to keep it short)
        new S3ObjectStore(env.clients().s3(), env.model().bucket().name()).putJson(Layout.config("same-it"),
                Map.of("training", Map.of("families", List.of("logistic-regression"))));
        Path same = Files.copy(Repo.file("data/iris.csv"), files.resolve("same data (1).csv"));

        // WHEN ten people upload it to the same key at once, each waiting for the outcome
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Cli>> uploads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            uploads.add(pool.submit(() -> {
                go.await();
                return mlops(env, "upload", same.toString(), "--dataset", "same-it", "--wait", "--json");
            }));
        }
        go.countDown();

        // THEN every one returns (none waits out its limit): each S3 version got its own outcome, VALID for the
        // one that was ingested first and DUPLICATE (following the same run to its end) for the others
        List<JsonNode> answers = new ArrayList<>();
        for (var upload : uploads) {
            Cli cli = upload.get(20, java.util.concurrent.TimeUnit.MINUTES); // a hang guard only
            assertThat(cli.code).as(cli.out + cli.err).isZero();
            answers.add(cli.json());
        }
        pool.shutdown();
        assertThat(answers).extracting(a -> a.path("version_id").asText()).doesNotHaveDuplicates();
        assertThat(answers).extracting(a -> a.path("status").asText()).containsOnly("VALID", "DUPLICATE")
                .contains("VALID");
        assertThat(answers).extracting(a -> a.path("run_status").asText()).containsOnly("SUCCEEDED");
        assertThat(answers).extracting(a -> a.path("run_id").asText()).containsOnly(answers.get(0).path("run_id").asText());
    }

    private record Cli(int code, String out, String err) {
        JsonNode json() {
            return Json.tree(out.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Cli mlops(LocalEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home=" + env.home());
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
