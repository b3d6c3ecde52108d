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
    void functions_shouldBeTheFiveOfTheDesign() {
        assertThat(stack.functions()).extracting(StackModel.Function::logicalId).containsExactlyInAnyOrder(
                "IngestValidationFunction", "TrainingFunction", "RegistryFunction", "InferenceFunction", "DriftCheckFunction");
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
    void uploadTrigger_shouldWatchThePrefixTheCodeParses() {
        assertThat(stack.s3Triggers()).singleElement().satisfies(t -> {
            assertThat(t.functionId()).isEqualTo("IngestValidationFunction");
            assertThat(t.bucket()).isEqualTo(stack.bucket().name());
            assertThat(t.prefix()).isEqualTo(Layout.INCOMING);
            assertThat(t.suffix()).isEqualTo(".csv");
        });
    }

    @Test
    void stateMachine_shouldHaveEverySubstitutionResolvedToAFunctionOfTheTemplate() throws Exception {
        StackModel.StateMachine machine = stack.stateMachines().get(0);
        assertThat(machine.definition()).doesNotContain("${");
        JsonNode definition = dev.mlops.core.Json.MAPPER.readTree(machine.definition());
        List<String> resources = new ArrayList<>();
        definition.findValues("Resource").forEach(r -> resources.add(r.asText()));
        Set<String> arns = stack.functions().stream().map(StackModel.Function::arn).collect(Collectors.toSet());
        assertThat(resources).isNotEmpty().allSatisfy(r -> assertThat(arns).contains(r));
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
