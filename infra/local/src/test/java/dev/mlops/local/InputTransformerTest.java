package dev.mlops.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.local.template.InputTransformer;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** EventBridge input transformers, as the local runtime applies the template's. */
class InputTransformerTest {

    /** The registry's event as EventBridge delivers it to a rule (envelope and detail). */
    private static final String ROLLED_BACK = """
            {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "Model Rolled Back",
             "source": "mlops.registry", "account": "000000000000", "time": "2026-11-27T10:00:00Z",
             "region": "us-east-1", "resources": [],
             "detail": {"model": "iris", "version": 1, "at": "2026-11-27T10:00:00.123Z", "action": "rollback",
                        "actor": "cli:ann", "from_version": 2, "to_version": 1,
                        "reason": "rolled back by cli:ann from v2 to v1", "verdict": "BLESSED"}}""";

    @Test
    void placeholders_shouldBeJsonOutsideStrings_andBareTextInsideThem() {
        // GIVEN a transformer using a value both ways, and a path the event does not have
        InputTransformer t = new InputTransformer(Map.of("model", "$.detail.model", "type", "$.detail-type",
                "none", "$.detail.missing"), "{\"m\": <model>, \"says\": \"<type> for <model>\", \"n\": <none>}");
        // WHEN
        JsonNode out = Json.tree(t.apply(Json.tree(ROLLED_BACK.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8));
        // THEN
        assertThat(out.path("m").textValue()).isEqualTo("iris");
        assertThat(out.path("says").textValue()).isEqualTo("Model Rolled Back for iris");
        assertThat(out.path("n").isNull()).isTrue();
    }

    @Test
    void theProductionChangedRule_shouldDeliverTheSampleEvent_whichTheRuntimeReadsAsARouteWithTheModel()
            throws Exception {
        // GIVEN the template's rule from the registry's bus to the inference function
        StackModel stack = StackModel.load(Repo.file("template.yaml"));
        StackModel.EventTarget target = stack.eventRules().stream().flatMap(r -> r.targets().stream())
                .filter(t -> "InferenceFunction".equals(t.functionId())).findFirst().orElseThrow();
        // WHEN a rollback's event goes through it
        String input = target.input(Json.tree(ROLLED_BACK.getBytes(StandardCharsets.UTF_8)), ROLLED_BACK);
        // THEN the function receives what events/ shows it receives
        assertThat(Json.tree(input.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                Json.tree(Files.readAllBytes(Repo.file("events/InferenceFunction/production-changed.json"))));
        // AND the Lambda runtime's mapping keeps the route key and the model
        APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        assertThat(event.getRouteKey()).isEqualTo("ProductionChanged");
        assertThat(event.getPathParameters()).containsEntry("model", "iris");
    }
}
