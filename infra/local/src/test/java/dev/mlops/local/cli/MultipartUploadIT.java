package dev.mlops.local.cli;

import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.aws.S3MultipartPut;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.FeatureProfile;
import dev.mlops.core.data.Profile;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.local.LocalEnvironmentExtension;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./mlops upload} sends a file larger than its part size as an S3 multipart upload (here forced with
 * {@code --part-size 5}, S3's smallest part, on a file of about 7 MiB: two parts): the object arrives whole, as
 * one new version that the trigger delivers once, and it is validated exactly as the same bytes sent in one
 * {@code PutObject}: the same dataset version (the SHA-256 of the bytes), report and profile. A multipart upload
 * that fails part-way is aborted: no object, no parts left, nothing delivered.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class MultipartUploadIT {

    private static final int ROWS = 160_000;
    private static final int PART_MIB = 5;

    @Test
    void aFileSentInParts_shouldBeValidatedExactlyAsTheSameBytesInOnePut(LocalEnvironment env, @TempDir Path files)
            throws Exception {
        // GIVEN a CSV of about 7 MiB (more than one part of 5 MiB), and datasets that train one cheap family
        Path csv = files.resolve("table.csv");
        Files.writeString(csv, table(), StandardCharsets.UTF_8);
        assertThat(Files.size(csv)).isBetween(PART_MIB * (1L << 20) + 1, 2L * PART_MIB * (1L << 20));
        ObjectStore store = new S3ObjectStore(env.clients().s3(), env.model().bucket().name());
        for (String dataset : List.of("one-put", "multipart")) {
            store.putJson(Layout.config(dataset), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
        }
        String version = Sha256.hex(Files.readAllBytes(csv));
        // and the bytes sent in one PutObject (the default part size is larger than the file)
        int onePutBefore = ingestInvocations(env);
        Cli onePut = mlops(env, "upload", csv.toString(), "--dataset", "one-put", "--json");
        assertThat(onePut.code).as(onePut.out + onePut.err).isZero();
        UploadOutcome single = awaitOutcome(env, Layout.uploadKey("one-put", "table.csv"));
        // (an invocation is counted once it has returned, just after it recorded the outcome)
        await().atMost(Duration.ofSeconds(60)).until(() -> ingestInvocations(env) > onePutBefore);
        int ingestBefore = ingestInvocations(env);

        // WHEN the same bytes are sent as a multipart upload in parts of 5 MiB
        Cli multipart = mlops(env, "upload", csv.toString(), "--dataset", "multipart", "--part-size",
                String.valueOf(PART_MIB), "--json");

        // THEN the upload succeeded, and the key holds exactly one version: the whole file
        assertThat(multipart.code).as(multipart.out + multipart.err).isZero();
        String key = Layout.uploadKey("multipart", "table.csv");
        S3Client s3 = env.clients().s3();
        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket(env.model().bucket().name()).prefix(key))
                .versions();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).size()).isEqualTo(Files.size(csv));
        assertThat(versions.get(0).versionId()).isEqualTo(multipart.json().path("version_id").asText());
        // and it was validated as the one PUT was: VALID, the same dataset version (the SHA-256 of the bytes)
        UploadOutcome inParts = awaitOutcome(env, key);
        assertThat(single.status()).as(single.reason()).isEqualTo(UploadStatus.VALID);
        assertThat(inParts.status()).as(inParts.reason()).isEqualTo(UploadStatus.VALID);
        assertThat(inParts.datasetVersion()).isEqualTo(single.datasetVersion()).isEqualTo(version);
        // and its trigger delivered it once (two seconds, eight polls, past that delivery: a second would show)
        await().atMost(Duration.ofSeconds(60)).until(() -> ingestInvocations(env) > ingestBefore);
        Thread.sleep(2_000);
        assertThat(ingestInvocations(env) - ingestBefore).isEqualTo(1);
        // and the report and profile are the one PUT's
        DatasetReport a = report(env, "one-put", version);
        DatasetReport b = report(env, "multipart", version);
        assertThat(b.valid()).isEqualTo(a.valid()).isTrue();
        assertThat(b.rows()).isEqualTo(a.rows()).isEqualTo(ROWS);
        assertThat(b.bytes()).isEqualTo(a.bytes()).isEqualTo(Files.size(csv));
        assertThat(b.columns()).isEqualTo(a.columns());
        assertThat(b.anomalies()).extracting(x -> x.kind() + " " + x.column() + " " + x.rows())
                .containsExactlyElementsOf(a.anomalies().stream().map(x -> x.kind() + " " + x.column() + " "
                        + x.rows()).toList());
        Profile p1 = profile(env, "one-put", version);
        Profile p2 = profile(env, "multipart", version);
        assertThat(p2.rows()).isEqualTo(p1.rows());
        assertThat(p2.labels()).isEqualTo(p1.labels());
        for (var feature : p1.features().entrySet()) {
            FeatureProfile x = feature.getValue();
            FeatureProfile y = p2.features().get(feature.getKey());
            assertThat(y.count()).as(feature.getKey()).isEqualTo(x.count());
            assertThat(y.missing()).as(feature.getKey()).isEqualTo(x.missing());
            assertThat(y.min()).as(feature.getKey()).isEqualTo(x.min());
            assertThat(y.max()).as(feature.getKey()).isEqualTo(x.max());
            assertThat(y.mean()).as(feature.getKey()).isEqualTo(x.mean());
        }
    }

    @Test
    void aMultipartUploadThatFailsPartWay_shouldBeAborted_leavingNoObjectAndNoParts(LocalEnvironment env,
                                                                                 @TempDir Path files)
            throws Exception {
        // GIVEN a file of three parts, and a sender that fails once the first part is sent
        Path csv = files.resolve("broken-off.csv");
        Files.writeString(csv, table() + table().substring(table().indexOf('\n') + 1), StandardCharsets.UTF_8);
        String bucket = env.model().bucket().name();
        String key = Layout.uploadKey("multipart-aborted", "broken-off.csv");
        int ingestBefore = ingestInvocations(env);
        AtomicInteger partsSent = new AtomicInteger();
        S3MultipartPut put = new S3MultipartPut(env.clients().s3(), bucket, PART_MIB << 20, 1);

        // WHEN the upload fails after its first part
        assertThatThrownBy(() -> put.put(key, csv, Map.of(), "text/csv", bytes -> {
            partsSent.incrementAndGet();
            throw new UncheckedIOException(new IOException("connection lost after part " + partsSent.get()));
        })).isInstanceOf(IOException.class).hasMessage("connection lost after part 1");

        // THEN S3 keeps no upload in progress for the key (its parts are gone), and no object
        S3Client s3 = env.clients().s3();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads()).isEmpty();
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions()).isEmpty();
        // and nothing was delivered to the pipeline (two polls later)
        Thread.sleep(2_000);
        assertThat(ingestInvocations(env)).isEqualTo(ingestBefore);
    }

    /** Rows of five numbers (one column with missing values) and a label of three classes. */
    private static String table() {
        SplittableRandom random = new SplittableRandom(22);
        StringBuilder s = new StringBuilder("x0,x1,x2,x3,x4,label\n");
        for (int r = 0; r < ROWS; r++) {
            for (int f = 0; f < 5; f++) {
                boolean missing = f == 4 && random.nextInt(100) == 0;
                s.append(missing ? "" : String.format(Locale.ROOT, "%.4f", random.nextDouble(-50, 50))).append(',');
            }
            s.append("abc".charAt(random.nextInt(3))).append('\n');
        }
        return s.toString();
    }

    /** Invocations of the ingest function since the environment started, counted as each returns. */
    private static int ingestInvocations(LocalEnvironment env) {
        return env.faults().invocations("IngestValidationFunction");
    }

    private static UploadOutcome awaitOutcome(LocalEnvironment env, String key) {
        DatasetCatalog datasets = datasets(env);
        ObjectStore store = new S3ObjectStore(env.clients().s3(), env.model().bucket().name());
        return await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> datasets.findUpload(key, store.head(key, null).orElseThrow().versionId()).orElse(null),
                        u -> u != null && u.status().settled());
    }

    private static DatasetCatalog datasets(LocalEnvironment env) {
        return new DynamoDatasetCatalog(env.clients().dynamoDb(), env.model().tableName("DatasetsTable"),
                env.model().tableName("UploadsTable"));
    }

    private static DatasetReport report(LocalEnvironment env, String dataset, String version) {
        DatasetVersion v = datasets(env).find(dataset, version).orElseThrow();
        return Json.read(new S3ObjectStore(env.clients().s3(), env.model().bucket().name()).find(v.reportKey())
                .orElseThrow().bytes(), DatasetReport.class);
    }

    private static Profile profile(LocalEnvironment env, String dataset, String version) {
        DatasetVersion v = datasets(env).find(dataset, version).orElseThrow();
        return Json.read(new S3ObjectStore(env.clients().s3(), env.model().bucket().name()).find(v.profileKey())
                .orElseThrow().bytes(), Profile.class);
    }

    private record Cli(int code, String out, String err) {
        com.fasterxml.jackson.databind.JsonNode json() {
            return Json.tree(out.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Cli mlops(LocalEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--home=" + env.home());
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
