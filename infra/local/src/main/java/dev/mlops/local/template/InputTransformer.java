package dev.mlops.local.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An EventBridge target's input transformer, as EventBridge applies it: each variable of {@code InputPathsMap} is
 * a dot-notation JSON path into the event ({@code $.detail.model}, {@code $.detail-type}); the {@code
 * InputTemplate} gets each {@code <variable>} replaced by its value: as JSON where it stands outside a string
 * ({@code "model": <model>} gives {@code "model": "iris"}), as the bare text inside one ({@code "v<version>"}).
 * A path the event does not have gives {@code null} (nothing inside a string).
 *
 * @param inputPaths    variable name → JSON path
 * @param inputTemplate the template
 */
public record InputTransformer(Map<String, String> inputPaths, String inputTemplate) {

    public InputTransformer {
        inputPaths = Map.copyOf(new LinkedHashMap<>(inputPaths));
        for (var e : inputPaths.entrySet()) {
            if (!e.getValue().equals("$") && !e.getValue().startsWith("$.")) {
                throw new IllegalArgumentException("InputPathsMap." + e.getKey() + ": the local runtime reads JSON paths"
                        + " in dot notation ($.detail.model), not " + e.getValue());
            }
        }
    }

    /** The input the target receives for {@code event}. */
    public String apply(JsonNode event) {
        StringBuilder out = new StringBuilder(inputTemplate.length() + 64);
        boolean inString = false;
        for (int i = 0; i < inputTemplate.length(); i++) {
            char c = inputTemplate.charAt(i);
            if (c == '<') {
                int end = inputTemplate.indexOf('>', i);
                String name = end < 0 ? null : inputTemplate.substring(i + 1, end);
                if (name != null && inputPaths.containsKey(name)) {
                    JsonNode value = at(event, inputPaths.get(name));
                    if (inString) {
                        out.append(value.isMissingNode() || value.isNull() ? ""
                                : escaped(value.isTextual() ? value.textValue() : value.toString()));
                    } else {
                        out.append(value.isMissingNode() ? "null" : value.toString());
                    }
                    i = end;
                    continue;
                }
            }
            if (c == '"' && (i == 0 || inputTemplate.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static JsonNode at(JsonNode event, String path) {
        JsonNode node = event;
        if (path.length() > 1) {
            for (String field : path.substring(2).split("\\.")) {
                node = node.path(field);
            }
        }
        return node;
    }

    /** Text as it may stand inside a JSON string. */
    private static String escaped(String text) {
        String quoted = dev.mlops.core.Json.string(text);
        return quoted.substring(1, quoted.length() - 1);
    }
}
