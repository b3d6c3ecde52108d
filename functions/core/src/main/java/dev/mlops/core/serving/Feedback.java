package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.ports.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ground truth for served predictions: {@code POST /v1/models/{model}:feedback} with {@code {"request_id": ...,
 * "label": ...}} (optionally {@code "instance": i}, the row of a request that had several; 0 by default) or a
 * batch {@code {"feedback": [{...}, ...]}} of at most {@value #MAX_LABELS}.
 *
 * <p>Every label is checked against the model's classes, every request id against the shape the API gives them,
 * before anything is stored; a bad item rejects the whole body with its path ({@code feedback[3].label: ...}),
 * so a client can fix it and send it again. Accepted labels are stored as one JSON Lines object per request,
 * keyed by the time they were received ({@link Layout#feedbackKey}); the drift check joins them to the captured
 * predictions by request id and instance. A later label for the same prediction replaces an earlier one.
 *
 * <p>Why S3 rather than DynamoDB: the only reader is the drift check, which reads a time window of labels
 * together with a time window of captures; objects keyed by time serve that with one listing, cost nothing at
 * rest, and need no table, index or capacity. A point lookup by request id, which DynamoDB would give, is never
 * needed.
 */
public final class Feedback {

    /** Most labels in one request. */
    public static final int MAX_LABELS = 1_000;

    /** The request ids the API hands out (API Gateway's, or a UUID); feedback accepts only those. */
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9=_-]{1,64}");

    /**
     * One stored label.
     *
     * @param requestId  the prediction's request id
     * @param instance   the row of that request (0 for a single-row request)
     * @param label      the true class
     * @param receivedAt when it was received
     */
    public record Label(String requestId, int instance, String label, Instant receivedAt) {
    }

    private Feedback() {
    }

    /**
     * Reads and checks a feedback body.
     *
     * @param classes the model's classes
     * @throws ContractException with the path and the reason a client can act on
     */
    public static List<Label> parse(byte[] body, String model, List<String> classes, Instant receivedAt) {
        JsonNode root = PredictRequest.jsonObject(body,
                "empty body: send {\"request_id\": ..., \"label\": ...} or {\"feedback\": [...]}",
                "body must be a JSON object: {\"request_id\": ..., \"label\": ...} or {\"feedback\": [...]}");
        List<JsonNode> items = new ArrayList<>();
        String prefix;
        if (root.has("feedback")) {
            if (root.size() != 1) {
                throw new ContractException("a batch is {\"feedback\": [...]} alone; unexpected field \""
                        + otherField(root, "feedback") + "\"");
            }
            JsonNode list = root.get("feedback");
            if (!list.isArray() || list.isEmpty()) {
                throw new ContractException("feedback: expected a non-empty array of {\"request_id\", \"label\"}");
            }
            if (list.size() > MAX_LABELS) {
                throw new ContractException("feedback: " + list.size() + " labels; at most " + MAX_LABELS
                        + " per request");
            }
            list.forEach(items::add);
            prefix = "feedback";
        } else {
            items.add(root);
            prefix = null;
        }
        List<Label> labels = new ArrayList<>(items.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String path = prefix == null ? "" : prefix + "[" + i + "].";
            Label label = item(items.get(i), path, model, classes, receivedAt);
            if (!seen.add(label.requestId() + "#" + label.instance())) {
                throw new ContractException(path + "request_id: \"" + label.requestId() + "\" (instance "
                        + label.instance() + ") is labelled twice in this request");
            }
            labels.add(label);
        }
        return labels;
    }

    private static Label item(JsonNode item, String path, String model, List<String> classes, Instant at) {
        if (!item.isObject()) {
            throw new ContractException(path.isEmpty() ? "body must be an object" : path.substring(0, path.length() - 1)
                    + ": expected an object {\"request_id\", \"label\"}");
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("request_id") && !name.equals("label") && !name.equals("instance")) {
                throw new ContractException(path + name + ": unknown field; expected request_id, label and "
                        + "optionally instance");
            }
        }
        JsonNode id = item.get("request_id");
        if (id == null || id.isNull()) {
            throw new ContractException(path + "request_id: required (the request_id of the prediction's answer)");
        }
        if (!id.isTextual() || !REQUEST_ID.matcher(id.textValue()).matches()) {
            throw new ContractException(path + "request_id: " + id + " is not a request id the API gives "
                    + "(1-64 characters of A-Z a-z 0-9 = _ -)");
        }
        JsonNode value = item.get("label");
        if (value == null || value.isNull()) {
            throw new ContractException(path + "label: required (the true " + (classes.isEmpty() ? "value)" : "class)"));
        }
        String label;
        if (classes.isEmpty()) {
            // A regression's model has no classes: its label is the true number.
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new ContractException(path + "label: expected the true value, a finite number, got " + value);
            }
            label = value.asText();
        } else if (value.isTextual()) {
            label = value.textValue().trim();
        } else if (value.isIntegralNumber()) {
            label = value.asText();
        } else {
            throw new ContractException(path + "label: expected a class name, got " + value);
        }
        if (!classes.isEmpty() && !classes.contains(label)) {
            throw new ContractException(path + "label: \"" + shorten(label) + "\" is not a class of model " + model
                    + "; expected one of " + String.join(", ", classes));
        }
        int instance = 0;
        JsonNode index = item.get("instance");
        if (index != null && !index.isNull()) {
            if (!index.isIntegralNumber() || index.asLong() < 0 || index.asLong() >= Predictor.MAX_INSTANCES) {
                throw new ContractException(path + "instance: expected the row's index in its request, 0 to "
                        + (Predictor.MAX_INSTANCES - 1) + ", got " + index);
            }
            instance = index.asInt();
        }
        return new Label(id.textValue(), instance, label, at);
    }

    /** Stores accepted labels as one JSON Lines object; returns its key. */
    public static String store(ObjectStore store, String model, String requestId, List<Label> labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(labels.size() * 96);
        for (Label l : labels) {
            out.writeBytes(Json.bytes(l));
            out.write('\n');
        }
        String key = Layout.feedbackKey(model, labels.get(0).receivedAt(), requestId);
        store.put(key, out.toByteArray(), "application/x-ndjson");
        return key;
    }

    /** Reads one stored feedback object; a damaged one is a {@link ContractException} (the check counts it, whole). */
    public static List<Label> read(byte[] jsonLines) {
        List<Label> out = new ArrayList<>();
        for (String line : new String(jsonLines, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(Json.read(line.getBytes(StandardCharsets.UTF_8), Label.class));
            }
        }
        return out;
    }

    private static String otherField(JsonNode root, String known) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(known)) {
                return name;
            }
        }
        return "";
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
