package dev.mlops.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Layout;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yaml is the single source of truth: what it declares must line up with the code. */
class TemplateTest {

    private final StackModel stack = StackModel.load(Repo.file("template.yaml"));

    @Test
    void functions_shouldBeTheEightOfTheDesign() {
        assertThat(stack.functions()).extracting(StackModel.Function::logicalId).containsExactlyInAnyOrder(
                "IngestValidationFunction", "IngestPartsFunction", "TrainingFunction", "RegistryFunction", "InferenceFunction", "DriftCheckFunction",
                "BatchJobFunction", "BatchScoringFunction");
    }

    @Test
    void handlers_shouldResolveToLambdaHandlerClasses() throws Exception {
        for (StackModel.Function f : stack.functions()) {
            // GIVEN the Handler of the template
            String[] parts = f.handler().split("::");
            // WHEN it is loaded as Lambda would
            Class<?> handler = Class.forName(parts[0]);
            // THEN it is a Lambda handler with a public no-argument constructor and the named method
            assertThat(RequestHandler.class.isAssignableFrom(handler) || RequestStreamHandler.class.isAssignableFrom(handler))
                    .as(f.handler()).isTrue();
            assertThat(handler.getConstructor()).isNotNull();
            assertThat(parts[1]).isEqualTo("handleRequest");
        }
    }

    @Test
    void environment_shouldNameOnlyResourcesTheTemplateDeclares() {
        Set<String> tables = stack.tables().stream().map(StackModel.Table::name).collect(Collectors.toSet());
        String bucket = stack.bucket().name();
        for (StackModel.Function f : stack.functions()) {
            assertThat(f.environment().get("DATA_BUCKET")).as(f.logicalId()).isEqualTo(bucket);
            f.environment().forEach((name, value) -> {
                if (name.endsWith("_TABLE")) {
                    assertThat(tables).as(f.logicalId() + " " + name).contains(value);
                }
            });
        }
        assertThat(stack.function("IngestValidationFunction").environment().get("STATE_MACHINE_ARN"))
                .isEqualTo(stack.stateMachines().get(0).arn());
    }

    @Test
    void uploadTriggers_shouldWatchThePrefixesTheCodeParses() {
        assertThat(stack.s3Triggers()).hasSize(2).allSatisfy(t -> {
            assertThat(t.bucket()).isEqualTo(stack.bucket().name());
            assertThat(t.suffix()).isEqualTo(".csv");
        });
        assertThat(stack.s3Triggers()).extracting(t -> t.functionId() + " " + t.prefix()).containsExactlyInAnyOrder(
                "IngestValidationFunction " + Layout.INCOMING, "BatchJobFunction " + Layout.BATCH);
        assertThat(stack.function("BatchJobFunction").environment().get("BATCH_STATE_MACHINE_ARN"))
                .isEqualTo(stack.stateMachines().stream().filter(m -> m.logicalId().equals("BatchScoring")).findFirst()
                        .orElseThrow().arn());
    }

    @Test
    void stateMachines_shouldHaveEverySubstitutionResolvedToAFunctionOfTheTemplate() throws Exception {
        assertThat(stack.stateMachines()).extracting(StackModel.StateMachine::logicalId)
                .containsExactly("TrainingPipeline", "BatchScoring", "UploadValidation");
        Set<String> arns = stack.functions().stream().map(StackModel.Function::arn).collect(Collectors.toSet());
        for (StackModel.StateMachine machine : stack.stateMachines()) {
            assertThat(machine.definition()).doesNotContain("${");
            JsonNode definition = dev.mlops.core.Json.MAPPER.readTree(machine.definition());
            List<String> resources = new ArrayList<>();
            definition.findValues("Resource").forEach(r -> resources.add(r.asText()));
            // Task resources are functions of the template; the Distributed Map's reader and writer are S3's
            assertThat(resources).isNotEmpty().allSatisfy(r -> assertThat(
                    arns.contains(r) || r.startsWith("arn:aws:states:::s3:")).as(machine.logicalId() + " " + r).isTrue());
        }
        JsonNode batch = dev.mlops.core.Json.MAPPER.readTree(stack.stateMachines().get(1).definition());
        assertThat(batch.at("/States/ScoreParts/ItemReader/Parameters/Bucket").asText()).isEqualTo(stack.bucket().name());
        JsonNode uploads = dev.mlops.core.Json.MAPPER.readTree(stack.stateMachines().get(2).definition());
        assertThat(uploads.at("/States/ScanParts/ItemReader/Parameters/Bucket").asText()).isEqualTo(stack.bucket().name());
        assertThat(stack.function("IngestValidationFunction").environment().get("VALIDATION_STATE_MACHINE_ARN"))
                .isEqualTo(stack.stateMachines().get(2).arn());
    }

    @Test
    void api_shouldRoutePredictAndDescribeToTheInferenceFunction() {
        assertThat(stack.httpRoutes()).extracting(r -> r.method() + " " + r.path() + " -> " + r.functionId())
                .containsExactlyInAnyOrder("POST /v1/models/{model} -> InferenceFunction",
                        "GET /v1/models/{model} -> InferenceFunction",
                        "GET /v1/models/{model}/metadata -> InferenceFunction",
                        "GET /v1/models/{model}/versions/{version} -> InferenceFunction",
                        "GET /v1/models/{model}/versions/{version}/metadata -> InferenceFunction");
    }

    @Test
    void registryEvents_shouldGoToTheBusTheRegistryFunctionPublishesOn_andReachALogGroupAndInference() {
        String bus = stack.function("RegistryFunction").environment().get("EVENT_BUS_NAME");
        assertThat(stack.eventBuses()).extracting(StackModel.EventBus::name).contains(bus);
        List<StackModel.EventRule> registryRules = stack.eventRules().stream().filter(r -> r.bus().equals(bus)).toList();
        assertThat(registryRules).isNotEmpty().allSatisfy(r ->
                assertThat(r.pattern()).contains("\"source\":[\"" + dev.mlops.core.domain.RegistryEvent.SOURCE + "\"]"));
        assertThat(registryRules).flatExtracting(StackModel.EventRule::targets)
                .anySatisfy(t -> assertThat(t.logGroup()).isEqualTo("/aws/events/" + StackModel.STACK_NAME + "-registry"))
                .anySatisfy(t -> assertThat(t.functionId()).isEqualTo("InferenceFunction"));
    }

    @Test
    void batchConcurrency_shouldBeTheTemplatesParameter_cappedLocallyAtTheProcessors() {
        // AWS: each part on its own vCPU, the template's default; here: no more parts at once than processors
        int aws = Integer.parseInt(stack.parameterDefault("BatchMaxConcurrency").orElseThrow());
        assertThat(aws).isEqualTo(10);
        assertThat(stack.function("BatchJobFunction").environment().get("BATCH_MAX_CONCURRENCY"))
                .isEqualTo(String.valueOf(Math.min(aws, Runtime.getRuntime().availableProcessors())));
    }

    @Test
    void driftCheck_shouldBeScheduled() {
        assertThat(stack.schedules()).singleElement().satisfies(s -> {
            assertThat(s.functionId()).isEqualTo("DriftCheckFunction");
            assertThat(s.expression()).startsWith("rate(");
        });
    }

    @Test
    void tables_shouldDeclareTheirKeysAndIndexes() {
        StackModel.Table runs = stack.tables().stream().filter(t -> t.logicalId().equals("RunsTable")).findFirst().orElseThrow();
        assertThat(runs.hash().name()).isEqualTo("run_id");
        assertThat(runs.indexes()).singleElement().satisfies(i -> {
            assertThat(i.hash().name()).isEqualTo("dataset");
            assertThat(i.range().name()).isEqualTo("started_at");
        });
    }
}
