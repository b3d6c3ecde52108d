package dev.mlops.local.console;

import dev.mlops.core.ports.memory.InMemoryDatasetCatalog;
import dev.mlops.core.ports.memory.InMemoryDriftCheckLog;
import dev.mlops.core.ports.memory.InMemoryModelRegistry;
import dev.mlops.core.ports.memory.InMemoryObjectStore;
import dev.mlops.core.ports.memory.InMemoryRunLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's server on the project's in-memory ports: read-only, on loopback, answering only requests
 * addressed to it, serving the bucket's report pages only under their prefixes and with a policy that lets
 * nothing in them run, and Chart.js from the jar.
 */
class ConsoleServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ConsoleServer console;
    private static InMemoryObjectStore store;

    @BeforeAll
    static void anEmptyStack_withAReportPage_andAnObjectOutsideTheReports() throws Exception {
        store = new InMemoryObjectStore();
        store.put("datasets/d/v1/report.html", "<h1>Validation report</h1>".getBytes(StandardCharsets.UTF_8),
                "text/html");
        store.put("secrets/keys.html", "<p>not a report</p>".getBytes(StandardCharsets.UTF_8), "text/html");
        ConsoleSources sources = new ConsoleSources("test stack", "bucket", store,
                new InMemoryModelRegistry(Clock.systemUTC()), new InMemoryRunLog(Clock.systemUTC()),
                new InMemoryDatasetCatalog(), new InMemoryDriftCheckLog(), List::of);
        console = ConsoleServer.start(sources, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        console.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(console.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePages_shouldBeServedOnLoopback_runningOnlyTheConsolesOwnScript() throws Exception {
        assertThat(console.url().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> models = get("/models");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("<h1>Models</h1>", "No models yet", "test stack · read-only");
        assertThat(models.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'", "connect-src 'none'", "frame-ancestors 'none'");
        assertThat(models.headers().firstValue("x-content-type-options")).contains("nosniff");
        // AND the root leads to the models
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("location")).contains("/models");
    }

    @Test
    void anythingButGetAndHead_shouldBeRefused_theConsoleIsReadOnly() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(console.url().resolve("/models"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
        assertThat(post.body()).contains("read-only");
    }

    @Test
    void aRequestAddressedToAnotherName_shouldBeRefused_soARebindingPageCannotReadTheStack() throws Exception {
        // GIVEN a request whose Host names another site (as a page there would send after rebinding its DNS name)
        try (Socket socket = new Socket("127.0.0.1", console.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /models HTTP/1.1\r\nHost: evil.example:" + console.url().getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // THEN
            assertThat(response).startsWith("HTTP/1.1 421").contains("this console answers only on")
                    .doesNotContain("<h1>Models</h1>");
        }
    }

    @Test
    void reportPages_shouldBeServedAsStored_underTheirPrefixesOnly_withNoScriptAllowed() throws Exception {
        HttpResponse<String> report = get("/reports/datasets/d/v1/report.html");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).isEqualTo("<h1>Validation report</h1>");
        String policy = report.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'").doesNotContain("script-src");
        // AND an object of the bucket outside the report prefixes is not served, though it exists
        assertThat(store.find("secrets/keys.html")).isPresent();
        HttpResponse<String> secret = get("/reports/secrets/keys.html");
        assertThat(secret.statusCode()).isEqualTo(404);
        assertThat(secret.body()).doesNotContain("not a report");
    }

    @Test
    void anUnknownModelOrPage_shouldBeA404PageSayingWhy() throws Exception {
        HttpResponse<String> model = get("/models/nope");
        assertThat(model.statusCode()).isEqualTo(404);
        assertThat(model.body()).contains("<h1>Not found</h1>", "nope");
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/models/nope/versions/x").body()).contains("versions are numbers");
    }

    @Test
    void chartJs_shouldBeServedFromTheJar() throws Exception {
        HttpResponse<String> chart = get("/static/chart.umd.min.js");
        assertThat(chart.statusCode()).as("the build copies Chart.js from npm into the jar").isEqualTo(200);
        assertThat(chart.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/javascript"));
        assertThat(chart.body()).contains("Chart.js v4");
        assertThat(get("/static/console.js").body()).contains("data-chart");
    }
}
