package dev.mlops.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code ./mlops predict MODEL --instances FILE|-}: one request to the model API. */
@Command(name = "predict",
        description = {"POST a JSON array of instances to /v1/models/MODEL:predict.",
                "Prints the API's response body; exit code 1 on an HTTP 4xx or 5xx."})
class PredictCommand extends BaseCommand {

    @Parameters(paramLabel = "MODEL", converter = NameConverter.Model.class, description = "The model.")
    String model;

    @Option(names = "--instances", paramLabel = "FILE|-", required = true,
            description = "A JSON array of instances, e.g. [{\"x\": 1.0}]; - reads standard input.")
    String instancesSource;

    @Override
    public Integer call() throws Exception {
        JsonNode instances = readInstances();
        try (Session session = openSession()) {
            HttpResponse<String> response = post(session, model, verb(), instances);
            out().println(json() ? response.body() : human(Json.MAPPER.readTree(response.body())));
            return response.statusCode() < 400 ? MlopsCommand.OK : MlopsCommand.FAILED;
        }
    }

    /** The verb of the model API this command calls. */
    String verb() {
        return "predict";
    }

    /** The answer as people read it. */
    String human(JsonNode answer) throws IOException {
        return pretty(answer);
    }

    /** The instances, read and checked before anything starts: a bad file is a usage error. */
    private JsonNode readInstances() throws IOException {
        String text = "-".equals(instancesSource)
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(requireFile(Path.of(instancesSource)));
        JsonNode instances;
        try {
            instances = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw usageError("--instances is not JSON: " + e.getOriginalMessage());
        }
        if (instances == null || !instances.isArray()) {
            throw usageError("--instances must hold a JSON array of objects, e.g. [{\"x\": 1.0}]");
        }
        return instances;
    }

    /** POSTs {@code {"instances": ...}} to the model's predict route of the local HTTP API. */
    static HttpResponse<String> predict(Session session, String model, JsonNode instances) throws IOException {
        return post(session, model, "predict", instances);
    }

    /** POSTs {@code {"instances": ...}} to {@code /v1/models/MODEL:VERB} of the local HTTP API. */
    static HttpResponse<String> post(Session session, String model, String verb, JsonNode instances)
            throws IOException {
        URI uri = URI.create(session.info().apiUrl() + "/v1/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":" + verb);
        return session.post(uri, Json.MAPPER.writeValueAsString(Map.of("instances", instances)));
    }
}
