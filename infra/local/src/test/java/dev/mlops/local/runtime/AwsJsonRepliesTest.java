package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS JSON 1.1 requests the runtime's own services (event bus, ECS) answer, and how they refuse the others. */
class AwsJsonRepliesTest {

    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws Exception {
        server = AwsJsonReplies.serve("test-json", 1, "Svc_2024.", "InternalException", (operation, request) ->
                switch (operation) {
                    case "Echo" -> Map.of("Echoed", request.path("Value").asText());
                    case "Refuse" -> throw new AwsJsonReplies.Failure("ValidationException", "no " + request);
                    case "Crash" -> throw new IllegalStateException("a bug");
                    default -> throw new AwsJsonReplies.Failure("UnknownOperationException", "not " + operation);
                });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anOperation_shouldGetItsAnswer_asAwsJson() throws Exception {
        HttpResponse<String> r = post("Svc_2024.Echo", "{\"Value\":\"v\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(Json.MAPPER.readTree(r.body()).path("Echoed").asText()).isEqualTo("v");
    }

    @Test
    void aFailure_shouldBeA400_withItsTypeWhereTheSdkReadsIt() throws Exception {
        HttpResponse<String> r = post("Svc_2024.Refuse", "{}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("ValidationException");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.path("__type").asText()).isEqualTo("ValidationException");
        assertThat(body.path("message").asText()).isEqualTo("no {}");
    }

    @Test
    void aWrongTarget_aGet_orABodyThatIsNotJson_shouldBeRefusedWithTheReason() throws Exception {
        assertThat(type(post("Other.Echo", "{}"))).isEqualTo("UnknownOperationException");
        assertThat(type(post(null, "{}"))).isEqualTo("UnknownOperationException");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri()).header("X-Amz-Target", "Svc_2024.Echo")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(type(get)).isEqualTo("UnknownOperationException");
        HttpResponse<String> notJson = post("Svc_2024.Echo", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(type(notJson)).isEqualTo("SerializationException");
    }

    @Test
    void anUnexpectedFailure_shouldBeA500_ofTheServicesType_sayingOnlyItsClass() throws Exception {
        HttpResponse<String> r = post("Svc_2024.Crash", "{}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(type(r)).isEqualTo("InternalException");
        assertThat(r.body()).contains("IllegalStateException").doesNotContain("a bug");
    }

    private static String type(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body()).path("__type").asText();
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private HttpResponse<String> post(String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
