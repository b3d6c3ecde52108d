package dev.mlops.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.batch.BatchRequest;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.local.runtime.HandlerCall;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file in events/ (one folder per function or state machine of template.yaml) deserialises into
 * the type its handler takes, with the serializers the Lambda Java runtime uses.
 */
class EventsTest {

    private final StackModel stack = StackModel.load(Repo.file("template.yaml"));

    @Test
    void everyFunctionAndStateMachine_shouldHaveSampleEvents() throws IOException {
        List<String> folders;
        try (Stream<Path> s = Files.list(Repo.file("events"))) {
            folders = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
        List<String> expected = new ArrayList<>();
        stack.functions().forEach(f -> expected.add(f.logicalId()));
        stack.stateMachines().forEach(m -> expected.add(m.logicalId()));
        assertThat(folders).containsExactlyInAnyOrderElementsOf(expected);
    }

    @TestFactory
    Stream<DynamicTest> eachEvent_shouldDeserialiseIntoItsHandlersInputType() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.file("events"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String owner = file.getParent().getFileName().toString();
                tests.add(DynamicTest.dynamicTest(owner + "/" + file.getFileName(), () -> check(owner, file)));
            }
        }
        return tests.stream();
    }

    private void check(String owner, Path file) throws Exception {
        if (owner.equals("BatchScoring")) {
            BatchRequest input = Json.read(Files.readAllBytes(file), BatchRequest.class);
            assertThat(Layout.parseBatchInput(input.inputKey())).isPresent();
            return;
        }
        if (stack.stateMachines().stream().anyMatch(m -> m.logicalId().equals(owner))) {
            RunRequest input = Json.read(Files.readAllBytes(file), RunRequest.class);
            assertThat(input.runId()).isEqualTo(RunRequest.runIdFor(input.dataset(), input.datasetVersion()));
            assertThat(input.candidates()).isNotEmpty();
            return;
        }
        Class<?> handler = Class.forName(stack.function(owner).handler().split("::")[0]);
        Object event;
        if (RequestHandler.class.isAssignableFrom(handler)) {
            Class<?> type = HandlerCall.inputType(handler);
            try (InputStream in = Files.newInputStream(file)) {
                event = serializer(type).fromJson(in);
            }
        } else {
            event = Json.read(Files.readAllBytes(file), TaskHandler.inputType(handler));
            if (handler == dev.mlops.functions.registry.RegistryHandler.class) {
                event = dev.mlops.functions.registry.RegistryHandler.parse((com.fasterxml.jackson.databind.JsonNode) event);
            }
        }
        assertThat(event).isNotNull();
        if (event instanceof S3Event s3) {
            assertThat(s3.getRecords()).isNotEmpty().allSatisfy(r -> assertThat(r.getS3().getObject().getKey()).isNotBlank());
        } else if (event instanceof APIGatewayV2HTTPEvent api && Json.tree(Files.readAllBytes(file)).has("detail-type")) {
            // A registry event the template's EventBridge rule delivers to the function.
            assertThat(Json.tree(Files.readAllBytes(file)).path("source").asText()).isEqualTo("mlops.registry");
            assertThat(stack.eventRules()).anySatisfy(r -> assertThat(r.targets())
                    .anySatisfy(t -> assertThat(t.functionId()).isEqualTo(owner)));
        } else if (event instanceof APIGatewayV2HTTPEvent api) {
            assertThat(api.getPathParameters()).containsKey("model");
            assertThat(api.getRequestContext().getHttp().getMethod()).isIn("GET", "POST");
        } else if (event instanceof ScheduledEvent scheduled) {
            assertThat(scheduled.getDetailType()).isEqualTo("Scheduled Event");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> com.amazonaws.services.lambda.runtime.serialization.PojoSerializer<T> serializer(Class<T> type) {
        return com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers
                .serializerFor(type, EventsTest.class.getClassLoader());
    }
}
