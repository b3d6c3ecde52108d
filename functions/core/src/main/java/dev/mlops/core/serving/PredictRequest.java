package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.errors.ContractException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code :predict} body in one of TensorFlow Serving's two shapes, as rows:
 * <ul>
 *   <li>row form: {@code {"instances": [{feature: value, ...}, ...]}} (or the same list under {@code "inputs"});</li>
 *   <li>columnar form: {@code {"inputs": {feature: [value, ...], ...}}}, every list as long as the others;
 *       its answer is columnar too ({@code "outputs"}).</li>
 * </ul>
 * {@code "signature_name"} may name the one signature, {@code serving_default}. The body is read strictly
 * (duplicate keys, trailing content and a second document are errors) and any other field is an error naming it.
 *
 * @param instances the rows, each feature name to a JSON scalar (objects and arrays are passed on for the
 *                  encoder to reject with the field's name)
 * @param columnar  whether the request used the columnar form
 */
public record PredictRequest(List<Map<String, Object>> instances, boolean columnar) {

    /** The only signature a model has, as TensorFlow Serving names its default. */
    public static final String SIGNATURE = "serving_default";

    /**
     * A request body as a JSON object (the predict and feedback verbs share this first step).
     *
     * @throws ContractException {@code empty} for an empty body, {@code notObject} for JSON that is not an
     *                           object, and the parser's reason for anything that is not JSON
     */
    static JsonNode jsonObject(byte[] body, String empty, String notObject) {
        if (body.length == 0) {
            throw new ContractException(empty);
        }
        JsonNode root;
        try {
            root = Json.tree(body);
        } catch (ContractException e) {
            throw new ContractException("body is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new ContractException(notObject);
        }
        return root;
    }

    /**
     * Reads a body.
     *
     * @throws ContractException with the reason a client can act on
     */
    public static PredictRequest parse(byte[] body) {
        JsonNode root = jsonObject(body, "empty body: send {\"instances\": [{feature: value, ...}]}",
                "body must be a JSON object with \"instances\" or \"inputs\"");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("instances") && !name.equals("inputs") && !name.equals("signature_name")) {
                throw new ContractException("unknown field \"" + name + "\": expected \"instances\" or \"inputs\""
                        + " (and optionally \"signature_name\")");
            }
        }
        JsonNode signature = root.get("signature_name");
        if (signature != null && !(signature.isTextual() && SIGNATURE.equals(signature.textValue()))) {
            throw new ContractException("signature_name: the only signature is \"" + SIGNATURE + "\"");
        }
        JsonNode instances = root.get("instances");
        JsonNode inputs = root.get("inputs");
        if (instances != null && inputs != null) {
            throw new ContractException("send either \"instances\" or \"inputs\", not both");
        }
        if (instances != null) {
            return new PredictRequest(rows("instances", instances), false);
        }
        if (inputs == null) {
            throw new ContractException("\"instances\" must be an array of objects");
        }
        if (inputs.isArray()) {
            return new PredictRequest(rows("inputs", inputs), false);
        }
        if (inputs.isObject()) {
            return new PredictRequest(columns(inputs), true);
        }
        throw new ContractException("\"inputs\" must be an object of feature: [values] or an array of objects");
    }

    private static List<Map<String, Object>> rows(String field, JsonNode array) {
        if (!array.isArray()) {
            throw new ContractException("\"" + field + "\" must be an array of objects");
        }
        List<Map<String, Object>> rows = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode row = array.get(i);
            if (!row.isObject()) {
                throw new ContractException(field + "[" + i + "] must be an object of feature: value");
            }
            Map<String, Object> values = new LinkedHashMap<>(row.size() * 2);
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), scalar(e.getValue()));
            }
            rows.add(values);
        }
        return rows;
    }

    private static List<Map<String, Object>> columns(JsonNode inputs) {
        if (inputs.isEmpty()) {
            throw new ContractException("\"inputs\" has no feature: send {feature: [values], ...}");
        }
        int size = -1;
        String first = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new ContractException("inputs." + e.getKey() + " must be an array with one value per instance");
            }
            if (size < 0) {
                size = e.getValue().size();
                first = e.getKey();
            } else if (e.getValue().size() != size) {
                throw new ContractException("inputs." + e.getKey() + " has " + e.getValue().size()
                        + " values but inputs." + first + " has " + size);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            rows.add(new LinkedHashMap<>());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (int i = 0; i < size; i++) {
                rows.get(i).put(e.getKey(), scalar(e.getValue().get(i)));
            }
        }
        return rows;
    }

    /** A JSON value as the encoder takes it: numbers, strings, booleans, null; objects and arrays as such. */
    private static Object scalar(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isArray() ? List.of() : Map.of();
    }
}
