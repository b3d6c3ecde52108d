package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.Json;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.mlops.core.Layout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any request, whatever its path, query and body, gets a JSON answer below 500 with its request id
 * in the body and in {@code x-request-id}, no stack trace, and no library's class or setting
 * ({@code com.}, {@code java.}, {@code Exception}, {@code DeserializationFeature}). The input is one line
 * {@code METHOD PATH[?QUERY] [base64]} followed by the body, so the committed inputs read as requests.
 *
 * <p>{@code mvn verify} replays the committed inputs (regression mode, under
 * {@code src/test/resources/.../InferenceHandlerFuzzTestInputs/}); {@code benchmarks/fuzz.sh} fuzzes
 * ({@code JAZZER_FUZZ=1}) for {@value #EXECUTIONS} inputs.
 */
class InferenceHandlerFuzzTest {

    static final long EXECUTIONS = 1_000_000;

    private static final InferenceHandler HANDLER;

    static {
        PipelineHarness p = new PipelineHarness();
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        // And a regression (every 20th row of the diamonds sample, one quick family), for the number answers.
        p.store.putJson(Layout.config("diamonds"), Map.of("training", Map.of("families", List.of("linear-regression"))));
        p.runToEnd(p.upload("diamonds", "diamonds.csv", diamonds(), Map.of("label", "price", "task", "regression"))
                .runId());
        // Captured requests are handed to a sink that keeps nothing: a million of them would not fit.
        HANDLER = new InferenceHandler(new ServingService(p.store, p.registry, request -> { }, p.metrics, 1.0,
                () -> 0.0, 1 << 20, p.clock), PowertoolsMetrics.fromEnvironment());
    }

    @FuzzTest(maxExecutions = EXECUTIONS, maxDuration = "2h")
    void anyRequest_shouldGetAJsonAnswerBelow500WithItsRequestId(byte[] input) {
        // GIVEN a request made of the input
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String[] head = (newline < 0 ? text : text.substring(0, newline)).split(" ", 3);
        String body = newline < 0 ? null : text.substring(newline + 1);
        String method = head[0];
        String target = head.length > 1 ? head[1] : "";
        boolean base64 = head.length > 2 && head[2].equals("base64");
        APIGatewayV2HTTPEvent event = event(method, target, body, base64);
        // WHEN
        APIGatewayV2HTTPResponse response = HANDLER.handleRequest(event, null);
        // THEN
        assertThat(response.getStatusCode()).as(text).isBetween(200, 499);
        String requestId = response.getHeaders().get("x-request-id");
        assertThat(requestId).isNotEmpty();
        JsonNode answer = Json.tree(response.getBody().getBytes(StandardCharsets.UTF_8));
        assertThat(answer.path("request_id").asText()).isEqualTo(requestId);
        // No library's class or setting in any answer: the field and the problem in the project's words.
        assertThat(response.getBody()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.mlops.")
                .doesNotContain("com.").doesNotContain("java.").doesNotContain("DeserializationFeature");
    }

    private static String diamonds() {
        try {
            List<String> lines = Files.readAllLines(Path.of("../../data/diamonds.csv"));
            StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
            for (int i = 1; i < lines.size(); i += 20) {
                csv.append(lines.get(i)).append('\n');
            }
            return csv.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static APIGatewayV2HTTPEvent event(String method, String target, String body, boolean base64) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRawPath("/v1/models/" + path);
        event.setPathParameters(Map.of("model", path));
        if (q >= 0) {
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.merge(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1), (a, b) -> a + "," + b);
            }
            event.setQueryStringParameters(query);
        }
        event.setBody(body);
        event.setIsBase64Encoded(base64);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        context.setHttp(http);
        context.setRequestId("fuzz-1");
        event.setRequestContext(context);
        return event;
    }
}
