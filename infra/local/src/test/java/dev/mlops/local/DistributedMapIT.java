package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.local.emulators.Emulators;
import dev.mlops.local.emulators.NodeModules;
import dev.mlops.local.runtime.LocalClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Step Functions facade runs Map states in DISTRIBUTED mode as the AWS developer guide describes them: items
 * from S3 (CSV with a header, a JSON array, ListObjectsV2), ItemSelector with the item's index, ItemBatcher with
 * BatchInput, child executions (listed by map run), tolerated failures, and the ResultWriter's manifest.json and
 * SUCCEEDED/FAILED files. Each definition also passes asl-validator, so what runs here is valid ASL on AWS.
 * The processors are Pass, Choice and Fail states: no Lambda is needed to prove the map itself.
 */
class DistributedMapIT {

    private static final String BUCKET = "distributed-map-it";

    @TempDir
    static Path home;

    private static Emulators emulators;
    private static S3Client s3;
    private static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        // No Task state runs here: the Lambda endpoint is never called.
        emulators = Emulators.start(Repo.root(), home, URI.create("http://127.0.0.1:9"));
        Emulators.Endpoints e = emulators.endpoints();
        LocalClients clients = new LocalClients(e.s3().toString(), e.dynamodb().toString(),
                e.stepFunctions().toString(), null);
        s3 = clients.s3();
        sfn = clients.stepFunctions();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (emulators != null) {
            emulators.close();
        }
    }

    @Test
    void aCsvWithAHeader_shouldBeBatchedIntoChildExecutions_andItsResultsWrittenAsAwsWritesThem() throws Exception {
        // GIVEN five rows, batches of two with a BatchInput, each item selected with its index
        put("in/rows.csv", "id,colour\n1,red\n2,\"green, light\"\n3,blue\n4,cyan\n5,pink\n");
        String definition = """
                {"StartAt": "Score", "States": {"Score": {
                  "Type": "Map",
                  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                    "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}},
                  "ItemSelector": {"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                  "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"job.$": "$.job"}},
                  "MaxConcurrency": 2,
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket": "%s", "Prefix": "out"}},
                  "End": true}}}
                """.formatted(BUCKET);
        // WHEN it runs
        DescribeExecutionResponse done = run(definition, "{\"bucket\": \"" + BUCKET + "\", \"key\": \"in/rows.csv\", "
                + "\"job\": \"j1\"}");
        // THEN the state's output points at the manifest, which names one SUCCEEDED file with three children
        assertThat(done.status()).as(done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = Json.MAPPER.readTree(done.output());
        String mapRunArn = output.path("MapRunArn").asText();
        assertThat(mapRunArn).contains(":mapRun:");
        assertThat(output.at("/ResultWriterDetails/Bucket").asText()).isEqualTo(BUCKET);
        String manifestKey = output.at("/ResultWriterDetails/Key").asText();
        assertThat(manifestKey).startsWith("out/").endsWith("/manifest.json");
        JsonNode manifest = Json.MAPPER.readTree(get(manifestKey));
        assertThat(manifest.path("MapRunArn").asText()).isEqualTo(mapRunArn);
        assertThat(manifest.path("DestinationBucket").asText()).isEqualTo(BUCKET);
        assertThat(manifest.at("/ResultFiles/FAILED")).isEmpty();
        assertThat(manifest.at("/ResultFiles/SUCCEEDED")).hasSize(1);
        JsonNode succeeded = Json.MAPPER.readTree(get(manifest.at("/ResultFiles/SUCCEEDED/0/Key").asText()));
        assertThat(succeeded).hasSize(3);
        // each child got its batch and the BatchInput, every row once, in order, quoted commas kept
        StringBuilder seen = new StringBuilder();
        for (JsonNode child : succeeded) {
            assertThat(child.path("Status").asText()).isEqualTo("SUCCEEDED");
            JsonNode childOutput = Json.MAPPER.readTree(child.path("Output").asText());
            assertThat(childOutput.at("/BatchInput/job").asText()).isEqualTo("j1");
            for (JsonNode item : childOutput.path("Items")) {
                seen.append(item.path("index").asInt()).append('=').append(item.at("/row/colour").asText()).append(';');
            }
        }
        assertThat(seen.toString()).isEqualTo("0=red;1=green, light;2=blue;3=cyan;4=pink;");
        // and the map run is described, its children listed by it
        DescribeMapRunResponse mapRun = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        assertThat(mapRun.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(mapRun.maxConcurrency()).isEqualTo(2);
        assertThat(mapRun.itemCounts().succeeded()).isEqualTo(5);
        assertThat(mapRun.executionCounts().succeeded()).isEqualTo(3);
        assertThat(sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions()).hasSize(3);
        assertValidAsl(definition);
    }

    @Test
    void aJsonManifestOfByteRanges_shouldToleratePartFailuresUpToTheCount_andFailTheRunPastIt() throws Exception {
        // GIVEN a plan of parts (the byte ranges a planner step writes), one of which its processor refuses
        put("plans/parts.json", "[{\"part\": 0, \"first\": 0, \"last\": 99}, {\"part\": 1, \"first\": 100, "
                + "\"last\": 199}, {\"part\": 2, \"first\": 200, \"last\": 250}]");
        String template = """
                {"StartAt": "Parts", "States": {"Parts": {
                  "Type": "Map",
                  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSON"},
                    "Parameters": {"Bucket": "%s", "Key": "plans/parts.json"}},
                  "ToleratedFailureCount": %d,
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Bad?", "States": {
                      "Bad?": {"Type": "Choice", "Choices": [{"Variable": "$.part", "NumericEquals": 1, "Next": "Refuse"}],
                        "Default": "Read"},
                      "Refuse": {"Type": "Fail", "Error": "Part.Broken", "Cause": "part 1 is broken"},
                      "Read": {"Type": "Pass", "Parameters": {"bytes.$": "States.MathAdd($.last, 1)"}, "End": true}}},
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket": "%s", "Prefix": "tolerated"}},
                  "End": true}}}
                """;
        // WHEN it runs tolerating one failure, then none
        String tolerant = template.formatted(BUCKET, 1, BUCKET);
        DescribeExecutionResponse tolerated = run(tolerant, "{}");
        DescribeExecutionResponse refused = run(template.formatted(BUCKET, 0, BUCKET), "{}");
        // THEN the first succeeds with the failure in FAILED_0.json, the second fails as AWS names it
        assertThat(tolerated.status()).as(tolerated.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode manifest = Json.MAPPER.readTree(get(Json.MAPPER.readTree(tolerated.output())
                .at("/ResultWriterDetails/Key").asText()));
        JsonNode failed = Json.MAPPER.readTree(get(manifest.at("/ResultFiles/FAILED/0/Key").asText()));
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("Error").asText()).isEqualTo("Part.Broken");
        assertThat(failed.get(0).path("Cause").asText()).isEqualTo("part 1 is broken");
        JsonNode succeeded = Json.MAPPER.readTree(get(manifest.at("/ResultFiles/SUCCEEDED/0/Key").asText()));
        assertThat(succeeded).hasSize(2);
        assertThat(refused.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(refused.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertValidAsl(tolerant);
    }

    @Test
    void listedObjects_shouldBeTheItems_andAMissingObjectShouldFailTheReaderWithItsReason() throws Exception {
        // GIVEN two objects under a prefix, and a map over them without a ResultWriter (results in the output)
        put("listed/a.csv", "x\n1\n");
        put("listed/b.csv", "x\n1\n2\n");
        String listing = """
                {"StartAt": "Each", "States": {"Each": {
                  "Type": "Map",
                  "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                    "Parameters": {"Bucket": "%s", "Prefix": "listed/"}},
                  "ItemSelector": {"key.$": "$$.Map.Item.Value.Key", "size.$": "$$.Map.Item.Value.Size"},
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
                  "End": true}}}
                """.formatted(BUCKET);
        String missing = listing.replace("\"arn:aws:states:::s3:listObjectsV2\"",
                "\"arn:aws:states:::s3:getObject\", \"ReaderConfig\": {\"InputType\": \"JSON\"}")
                .replace("\"Prefix\": \"listed/\"", "\"Key\": \"nowhere.json\"");
        // WHEN both run
        DescribeExecutionResponse listed = run(listing, "{}");
        DescribeExecutionResponse failed = run(missing, "{}");
        // THEN the listed objects are the items, in key order
        assertThat(listed.status()).as(listed.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.MAPPER.readTree(listed.output()).toString())
                .isEqualTo("[{\"key\":\"listed/a.csv\",\"size\":4},{\"key\":\"listed/b.csv\",\"size\":6}]");
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(failed.cause()).contains("nowhere.json");
        assertValidAsl(listing);
    }

    private static DescribeExecutionResponse run(String definition, String input) {
        String machine = sfn.createStateMachine(b -> b.name("dmap-" + UUID.randomUUID())
                .roleArn("arn:aws:iam::000000000000:role/test").definition(definition)).stateMachineArn();
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                sfn.describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING);
        return sfn.describeExecution(b -> b.executionArn(execution));
    }

    private static void put(String key, String text) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text));
    }

    private static String get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    /** asl-validator's command line, as AslValidatorIT runs it, accepts the definition. */
    private static void assertValidAsl(String definition) throws Exception {
        Path nodeDir = Repo.file("infra/local/node");
        NodeModules.ensureInstalled(nodeDir);
        Path file = Files.writeString(home.resolve(UUID.randomUUID() + ".asl.json"), definition);
        Process p = new ProcessBuilder(List.of("node", "node_modules/asl-validator/dist/bin/asl-validator.js",
                "--json-path", file.toString())).directory(nodeDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
