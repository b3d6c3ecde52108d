package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./mlops explain MODEL --instances FILE|-}: each instance's prediction and each feature's contribution
 * to it ({@code POST /v1/models/MODEL:explain}), largest first.
 */
@Command(name = "explain",
        description = {"POST a JSON array of instances to /v1/models/MODEL:explain.",
                "Prints each prediction and each feature's contribution to it, largest first (--json: the API's"
                        + " response body); exit code 1 on an HTTP 4xx or 5xx."})
final class ExplainCommand extends PredictCommand {

    @Override
    String verb() {
        return "explain";
    }

    @Override
    String human(JsonNode answer) throws IOException {
        JsonNode explanations = answer.path("explanations");
        if (!explanations.isArray()) {
            return pretty(answer);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < explanations.size(); i++) {
            JsonNode e = explanations.get(i);
            JsonNode p = answer.path("predictions").path(i);
            s.append(String.format(Locale.ROOT, "instance %d: %s (score %.4f); %s, %s of %s: base %.4f + contributions"
                            + " = %.4f%n", i, p.path("label").asText(), p.path("scores").path(p.path("label").asText())
                            .asDouble(), e.path("method").asText(), e.path("output").asText(), e.path("target").asText(),
                    e.path("base_value").asDouble(), e.path("value").asDouble()));
            List<Map.Entry<String, JsonNode>> contributions = new ArrayList<>();
            e.path("contributions").fields().forEachRemaining(contributions::add);
            contributions.sort(Comparator.comparingDouble((Map.Entry<String, JsonNode> c) ->
                    -Math.abs(c.getValue().asDouble())));
            for (Map.Entry<String, JsonNode> c : contributions) {
                s.append(String.format(Locale.ROOT, "  %-24s %+.4f%n", c.getKey(), c.getValue().asDouble()));
            }
        }
        s.append("model version ").append(answer.path("model_version").asText());
        return s.toString();
    }
}
