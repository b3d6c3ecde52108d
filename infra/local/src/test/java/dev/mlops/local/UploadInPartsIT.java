package dev.mlops.local;

import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.FeatureProfile;
import dev.mlops.core.data.Profile;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.FaultInjection;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Validation of an upload in parts on the emulators, as deployed from template.yaml with IAM enforced: an upload
 * larger than its part size (here asked for by object metadata {@code part-bytes}, as the template's threshold does
 * for big files) is cut into parts by the ingest function, scanned part by part by the UploadValidation state
 * machine's Distributed Map and merged; its report has the counts one pass gives for the same bytes, its profile the
 * same counts and quantiles within the sketch's error, and its pipeline starts as a small upload's does. A part whose
 * invocation dies once (as a killed one does on AWS: {@code Runtime.ExitError}) is retried.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class UploadInPartsIT {

    /** KLL's normalised rank error at k = 200 (99 % confidence): each of two sketches may be off by it. */
    private static final double RANK_ERROR = 0.0165;
    private static final int ROWS = 6_000;
    private static final int FEATURES = 5;

    @Test
    void anUploadValidatedInParts_andAPartKilledOnce_shouldReportWhatOnePassReports(LocalEnvironment env) {
        // GIVEN a table of numbers and three classes, with missing values
        double[][] values = new double[FEATURES][ROWS];
        byte[] csv = table(values);
        StackPorts stack = new StackPorts(env);
        for (String dataset : List.of("one-pass", "in-parts")) {
            stack.store().putJson(Layout.config(dataset), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
        }
        // and the same bytes read in one pass, as dataset one-pass
        stack.put(Layout.uploadKey("one-pass", "table.csv"), csv, Map.of());
        String onePassVersion = Sha256.hex(csv);
        DatasetVersion onePass = stack.awaitDataset("one-pass", onePassVersion);
        // WHEN the third part's first invocation dies, and the same bytes are uploaded in parts of about 20 KB
        env.faults().inject(new FaultInjection.Fault("IngestPartsFunction", "\"part\":{\"part\":2,", 1,
                Duration.ZERO, "Runtime.ExitError", "RequestId: 1 Error: Runtime exited with error: signal: killed"));
        int failuresBefore = env.faults().failures("IngestPartsFunction");
        String key = Layout.uploadKey("in-parts", "table.csv");
        stack.put(key, csv, Map.of(IngestionService.PART_BYTES, "20000"));
        UploadOutcome outcome = await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250))
                .until(() -> stack.datasets().findUpload(key, stack.store().head(key, null).orElseThrow().versionId())
                        .orElse(null), u -> u != null && u.status().settled());
        // THEN it is VALID, with a dataset version of its own (a hash of its parts' hashes), and its pipeline started
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(UploadStatus.VALID);
        assertThat(outcome.datasetVersion()).hasSize(64).isNotEqualTo(onePassVersion);
        assertThat(outcome.runId()).isNotBlank();
        DatasetVersion inParts = stack.awaitDataset("in-parts", outcome.datasetVersion());
        // and the killed part was retried
        assertThat(env.faults().fired()).contains("IngestPartsFunction Runtime.ExitError");
        assertThat(env.faults().failures("IngestPartsFunction") - failuresBefore).isEqualTo(1);
        // and its report has one pass's counts
        DatasetReport single = report(stack, onePass);
        DatasetReport merged = report(stack, inParts);
        assertThat(merged.valid()).isEqualTo(single.valid()).isTrue();
        assertThat(merged.rows()).isEqualTo(single.rows()).isEqualTo(ROWS);
        assertThat(merged.columns()).isEqualTo(single.columns());
        assertThat(merged.bytes()).isEqualTo(single.bytes()).isEqualTo(csv.length);
        assertThat(merged.errors()).isEqualTo(single.errors());
        assertThat(merged.warnings()).isEqualTo(single.warnings());
        assertThat(merged.anomalies()).extracting(a -> a.kind() + " " + a.column() + " " + a.rows())
                .containsExactlyElementsOf(single.anomalies().stream()
                        .map(a -> a.kind() + " " + a.column() + " " + a.rows()).toList());
        assertThat(merged.task()).isEqualTo(single.task());
        // and its profile the same counts, and quantiles within the sketch's error of one pass's
        Profile p1 = profile(stack, onePass);
        Profile pn = profile(stack, inParts);
        assertThat(pn.rows()).isEqualTo(p1.rows());
        assertThat(pn.labels()).isEqualTo(p1.labels());
        for (int f = 0; f < FEATURES; f++) {
            String name = "x" + f;
            FeatureProfile a = p1.features().get(name);
            FeatureProfile b = pn.features().get(name);
            assertThat(b.count()).as(name).isEqualTo(a.count());
            assertThat(b.missing()).as(name).isEqualTo(a.missing());
            assertThat(b.min()).as(name).isEqualTo(a.min());
            assertThat(b.max()).as(name).isEqualTo(a.max());
            double[] sorted = Arrays.stream(values[f]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            for (var q : a.quantiles().entrySet()) {
                double oneRank = rank(sorted, q.getValue());
                double partsRank = rank(sorted, b.quantiles().get(q.getKey()));
                assertThat(Math.abs(partsRank - oneRank)).as(name + " " + q.getKey()).isLessThanOrEqualTo(2 * RANK_ERROR);
            }
        }
        // and its run went as the one-pass run did (training read the upload and checked its version again)
        Run onePassRun = stack.awaitRun("one-pass", onePassVersion);
        Run inPartsRun = stack.awaitRun("in-parts", outcome.datasetVersion());
        assertThat(inPartsRun.status()).as(inPartsRun.reason()).isEqualTo(onePassRun.status());
        // and the map ran as its own execution, one child execution per part
        String machine = env.model().stateMachines().stream().filter(m -> m.logicalId().equals("UploadValidation"))
                .findFirst().orElseThrow().arn();
        List<ExecutionListItem> executions = env.clients().stepFunctions()
                .listExecutions(b -> b.stateMachineArn(machine)).executions();
        assertThat(executions).extracting(ExecutionListItem::name).anyMatch(n -> n.startsWith("in-parts."));
    }

    /** Rows of x0..x4 (normal, uniform, exponential; about 1 % missing) and a label of three classes. */
    private static byte[] table(double[][] values) {
        SplittableRandom random = new SplittableRandom(22);
        StringBuilder s = new StringBuilder("x0,x1,x2,x3,x4,label\n");
        for (int r = 0; r < ROWS; r++) {
            List<String> cells = new ArrayList<>();
            for (int f = 0; f < FEATURES; f++) {
                double v = switch (f % 3) {
                    case 0 -> 10 * gaussian(random) + f;
                    case 1 -> random.nextDouble(-5, 5);
                    default -> -Math.log(1 - random.nextDouble()) * 3;
                };
                boolean missing = random.nextInt(100) == 0;
                values[f][r] = missing ? Double.NaN : Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
                cells.add(missing ? "" : String.format(Locale.ROOT, "%.4f", v));
            }
            cells.add(List.of("a", "b", "c").get(random.nextInt(3)));
            s.append(String.join(",", cells)).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The share of values at or below {@code v}. */
    private static double rank(double[] sorted, double v) {
        int i = Arrays.binarySearch(sorted, v);
        int at = i >= 0 ? i + 1 : -i - 1;
        while (i >= 0 && at < sorted.length && sorted[at] == v) {
            at++;
        }
        return (double) at / sorted.length;
    }

    private static DatasetReport report(StackPorts stack, DatasetVersion v) {
        return Json.read(stack.store().find(v.reportKey()).orElseThrow().bytes(), DatasetReport.class);
    }

    private static Profile profile(StackPorts stack, DatasetVersion v) {
        return Json.read(stack.store().find(v.profileKey()).orElseThrow().bytes(), Profile.class);
    }
}
