package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local front door under slow and stuck clients, and its own answers: JSON with a request id,
 * never the server's HTML page.
 */
@ExtendWith(LocalEnvironmentExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFrontIT {

    private static final String ROW = "{\"instances\": [{\"sepal_length_cm\": 5.1, \"sepal_width_cm\": 3.5,"
            + " \"petal_length_cm\": 1.4, \"petal_width_cm\": 0.2}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> stuck = new ArrayList<>();
    private LocalEnvironment env;
    private URI api;

    @BeforeAll
    void trainIris(LocalEnvironment environment) throws Exception {
        this.env = environment;
        this.api = URI.create(environment.info().apiUrl());
        byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        String bucket = env.model().bucket().name();
        env.clients().s3().putObject(b -> b.bucket(bucket).key("incoming/front-it/iris.csv"), RequestBody.fromBytes(iris));
        new StackPorts(environment).awaitRun("front-it", Sha256.hex(iris));
        // The function's first answer includes its cold start; the timings below are about the door.
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(api.resolve("/v1/models/front-it:predict"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    }

    @AfterAll
    void closeStuckClients() {
        for (Socket s : stuck) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }

    @Test
    void slowAndStuckClients_shouldNotDelayAValidRequest() throws Exception {
        // GIVEN more stuck clients than the door has threads: some stop in their headers, some in their body
        for (int i = 0; i < 48; i++) {
            Socket s = new Socket(api.getHost(), api.getPort());
            stuck.add(s);
            String head = "POST /v1/models/front-it:predict HTTP/1.1\r\nHost: x\r\n";
            s.getOutputStream().write((i % 2 == 0 ? head + "Content-Type: application/json\r\n"
                    : head + "Content-Length: 500\r\n\r\n{\"instances\": [").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        // WHEN a valid request and a Lambda Invoke API call arrive
        // (the client timeouts only guard against a hang; they are not a speed bound)
        HttpResponse<String> prediction = http.send(HttpRequest.newBuilder(api.resolve("/v1/models/front-it:predict"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> invoke = http.send(HttpRequest.newBuilder(api.resolve("/2015-03-31/functions/none/invocations"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        // THEN both are answered while every stuck client is still waiting: a door that queued them behind the
        // stuck ones would answer only after the idle timeout had cut those off (each with its 408)
        assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
        assertThat(invoke.statusCode()).isEqualTo(404);
        for (Socket s : stuck) {
            assertThat(s.getInputStream().available()).as("a stuck client was answered first").isZero();
        }
    }

    @Test
    void aClientThatStopsSending_shouldBeCutOffAfterTheIdleTimeout() throws Exception {
        // GIVEN a client that sends half a body and then nothing
        try (Socket s = new Socket(api.getHost(), api.getPort())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("POST /v1/models/front-it:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // WHEN it waits (the socket's read timeout only guards against a hang)
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // THEN the door answers 408 (with a request id) and closes the connection
            assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("x-request-id: ").contains("\"request_id\"");
        }
    }

    @Test
    void theDoorsOwnAnswers_shouldBeJsonWithARequestId() throws Exception {
        // an unknown route, a malformed path, headers too large, a body too large
        assertOwnAnswer(raw("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"), 404);
        assertOwnAnswer(raw("GET /v1/models/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assertOwnAnswer(raw("GET /v1/models/iris HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"), 431);
        assertOwnAnswer(raw("POST /v1/models/iris:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n"), 413);
        assertOwnAnswer(raw("BLAH\r\n\r\n"), 400);
    }

    @Test
    void everyFunctionAnswer_shouldCarryTheRequestIdHeader() throws Exception {
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(api.resolve("/v1/models/front-it/metadata"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(200);
        JsonNode body = Json.tree(missing.body().getBytes(StandardCharsets.UTF_8));
        assertThat(missing.headers().firstValue("x-request-id")).contains(body.path("request_id").asText());
    }

    private static void assertOwnAnswer(String response, int status) {
        assertThat(response).as(response).startsWith("HTTP/1.1 " + status);
        assertThat(response.toLowerCase()).contains("content-type: application/json").contains("x-request-id: ");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        JsonNode json = Json.tree(body.getBytes(StandardCharsets.UTF_8));
        assertThat(json.path("request_id").asText()).isNotEmpty();
        assertThat(response).doesNotContain("<html").doesNotContain("<HTML");
    }

    /** Sends raw bytes (what no well-behaved client would send) and reads the answer until the door closes. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket(api.getHost(), api.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[65536];
            StringBuilder answer = new StringBuilder();
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                int headerEnd = answer.indexOf("\r\n\r\n");
                if (headerEnd > 0) {
                    String headers = answer.substring(0, headerEnd).toLowerCase();
                    int cl = headers.indexOf("content-length: ");
                    if (cl > 0) {
                        int length = Integer.parseInt(headers.substring(cl + 16).split("\r\n")[0].trim());
                        if (answer.length() - headerEnd - 4 >= length) {
                            break;
                        }
                    }
                }
            }
            return answer.toString();
        }
    }
}
