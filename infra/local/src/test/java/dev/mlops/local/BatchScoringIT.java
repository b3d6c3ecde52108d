package dev.mlops.local;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.aws.DynamoBatchJobs;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.batch.BatchRequest;
import dev.mlops.core.batch.BatchSummary;
import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ports.BatchJobs;
import dev.mlops.local.runtime.FaultInjection;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batch scoring on the emulators, as deployed from template.yaml with IAM enforced: an upload under {@code
 * batch/<model>/<job>.csv} starts the batch state machine, whose Distributed Map scores the planned parts; bad rows
 * get their reason, good rows their prediction, in input order; a part whose invocation dies once (as a killed
 * one does on AWS: {@code Runtime.ExitError}) is retried, and its rows are in the output once.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class BatchScoringIT {

    private static final String MODEL = "batch-iris";

    @Test
    void aBatchWithMalformedRows_andAPartKilledOnce_shouldScoreEveryRowOnce_inInputOrder(LocalEnvironment env)
            throws Exception {
        // GIVEN iris trained as its own model
        StackPorts stack = new StackPorts(env);
        byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        stack.put("incoming/" + MODEL + "/iris.csv", iris, Map.of());
        assertThat(stack.awaitRun(MODEL, Sha256.hex(iris)).status()).isEqualTo(RunStatus.SUCCEEDED);
        // and a batch of its rows with bad ones among them, an id column the model does not know
        List<String> lines = new ArrayList<>();
        String[] rows = new String(iris, StandardCharsets.UTF_8).split("\n");
        for (int i = 1; i < rows.length; i++) {
            lines.add("r" + i + "," + rows[i].strip());
        }
        lines.add(5, "bad-count,5.1,3.5");
        lines.add(50, "bad-number,five,3.5,1.4,0.2,setosa");
        lines.add(100, "bad-empty,,,,,setosa");
        String csv = "id,sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label\n"
                + String.join("\n", lines) + "\n";
        // WHEN the third part's first invocation dies, and the batch is uploaded in parts of about 1 KB
        env.faults().inject(new FaultInjection.Fault("BatchScoringFunction", "\"part\":{\"part\":2,", 1,
                Duration.ZERO, "Runtime.ExitError", "RequestId: 1 Error: Runtime exited with error: signal: killed"));
        int failuresBefore = env.faults().failures("BatchScoringFunction");
        String job = "malformed";
        stack.put(Layout.batchInput(MODEL, job), csv.getBytes(StandardCharsets.UTF_8),
                Map.of(BatchRequest.PART_BYTES, "1000"));
        BatchJobs jobs = new DynamoBatchJobs(env.clients().dynamoDb(), env.model().tableName("BatchJobsTable"));
        BatchJob done = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.find(MODEL, job).orElse(null), j -> j != null && !j.status().equals(BatchJob.RUNNING));
        // THEN the job succeeded, the killed part was retried
        assertThat(done.status()).as(done.reason()).isEqualTo(BatchJob.SUCCEEDED);
        assertThat(done.parts()).isGreaterThan(3);
        assertThat(env.faults().fired()).contains("BatchScoringFunction Runtime.ExitError");
        assertThat(env.faults().failures("BatchScoringFunction") - failuresBefore).isEqualTo(1);
        // and every input row is in the output once, in order, bad rows with their reason
        List<CsvRecord> out = read(stack.store().find(done.output()).orElseThrow().bytes());
        assertThat(out.get(0).getFields()).endsWith("prediction", "score_setosa", "score_versicolor",
                "score_virginica", "error");
        List<CsvRecord> scored = out.subList(1, out.size());
        assertThat(scored).extracting(r -> r.getField(0))
                .containsExactlyElementsOf(lines.stream().map(l -> l.substring(0, l.indexOf(','))).toList());
        for (CsvRecord r : scored) {
            if (r.getField(0).startsWith("bad-")) {
                assertThat(r.getField(6)).as(r.getField(0)).isEmpty();
                assertThat(r.getField(10)).as(r.getField(0)).isNotBlank();
            } else {
                assertThat(r.getField(6)).as(r.getField(0)).isIn("setosa", "versicolor", "virginica");
                assertThat(r.getField(10)).as(r.getField(0)).isEmpty();
            }
        }
        assertThat(scored.get(5).getField(10)).isEqualTo("expected 6 fields as in the header, found 3");
        assertThat(scored.get(50).getField(10)).contains("sepal_length_cm").contains("expected a number");
        // and the summary's counts add up
        BatchSummary summary = Json.read(stack.store().find(Layout.batchSummary(MODEL, job)).orElseThrow().bytes(),
                BatchSummary.class);
        assertThat(summary.rows()).isEqualTo(lines.size()).isEqualTo(done.rows());
        assertThat(summary.errors()).isEqualTo(3).isEqualTo(done.errors());
        assertThat(summary.scored() + summary.errors()).isEqualTo(summary.rows());
        assertThat(summary.predictions().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(summary.scored());
        assertThat(summary.parts()).isEqualTo(done.parts());
        // and the map run wrote its manifest beside the output, one child execution per part
        assertThat(stack.store().list(Layout.batchResults(MODEL, job), null))
                .anyMatch(o -> o.key().endsWith("/manifest.json"));
        String machine = env.model().stateMachines().stream().filter(m -> m.logicalId().equals("BatchScoring"))
                .findFirst().orElseThrow().arn();
        List<ExecutionListItem> executions = env.clients().stepFunctions()
                .listExecutions(b -> b.stateMachineArn(machine)).executions();
        assertThat(executions).extracting(ExecutionListItem::name).contains(MODEL + "." + job);
    }

    private static List<CsvRecord> read(byte[] csv) throws Exception {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(new String(csv, StandardCharsets.UTF_8))) {
            return reader.stream().toList();
        }
    }
}
