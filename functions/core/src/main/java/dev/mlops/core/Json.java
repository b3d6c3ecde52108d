package dev.mlops.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mlops.core.errors.ContractException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one JSON mapping of the project: every document we store (reports, profiles, model cards),
 * every payload between pipeline steps and every function output is snake_case, so stored files
 * and state machine payloads read the same in the console, in S3 and in the code.
 *
 * <p>Reading is strict, because these are our own contracts: an unknown field, a duplicate key,
 * trailing content after the document, or a null for a primitive is an error naming the field
 * ({@link ContractException}), never silently ignored. Map keys are written as they are (the
 * naming strategy renames record components and bean properties only).
 */
public final class Json {

    /** Shared, thread-safe mapper. Do not reconfigure it. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    /** Serialises a value; JSON mapping of our own records cannot fail short of a bug. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Serialises a value to a JSON string. */
    public static String string(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /** Serialises a value, indented for people who open the file. */
    public static byte[] prettyBytes(Object value) {
        try {
            return PRETTY.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Serialises a value to an indented JSON string. */
    public static String prettyString(Object value) {
        return new String(prettyBytes(value), StandardCharsets.UTF_8);
    }

    /**
     * The value as plain JSON maps, lists and scalars with snake_case keys: what a function returns
     * when the Lambda runtime (not this mapper) writes its output.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> tree(Object value) {
        return MAPPER.convertValue(value, LinkedHashMap.class);
    }

    /**
     * Reads one of our documents or payloads.
     *
     * @throws ContractException naming the field and the rule it breaks (unknown field, missing
     *                           field, wrong type, malformed JSON)
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw contractError(type.getSimpleName(), e);
        }
    }

    /** Reads one of our documents or payloads from text; see {@link #read(byte[], Class)}. */
    public static <T> T read(String json, Class<T> type) {
        return read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** Converts an already parsed tree into one of our types; see {@link #read(byte[], Class)}. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw contractError(type.getSimpleName(), e);
        }
    }

    /** Parses any JSON value strictly (duplicate keys and trailing content are errors). */
    public static JsonNode tree(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new ContractException("empty document: expected a JSON value");
            }
            return node;
        } catch (IOException e) {
            throw contractError("JSON", e);
        }
    }

    private static ContractException contractError(String what, Exception e) {
        Throwable cause = e;
        while (cause instanceof ValueInstantiationException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ContractException contract) {
            return new ContractException(what + ": " + contract.getMessage(), contract);
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new ContractException(what + ": unknown field \"" + path(unknown) + "\""
                    + (known.isEmpty() ? "" : "; expected one of: " + known), e);
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                && (String.valueOf(mismatch.getOriginalMessage()).startsWith("Missing required creator property")
                || String.valueOf(mismatch.getOriginalMessage()).startsWith("Cannot map `null` into type"))) {
            return new ContractException(what + ": missing field \"" + path(mismatch) + "\"", e);
        }
        if (cause instanceof InvalidTypeIdException typeId) {
            return new ContractException(what + ": " + (typeId.getTypeId() == null ? "no type given: "
                    : "unknown type \"" + typeId.getTypeId() + "\": ") + plain(typeId), e);
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new ContractException(what + ": field \"" + path(mapping) + "\": " + plain(mapping), e);
        }
        if (cause instanceof JsonProcessingException processing) {
            return new ContractException("malformed " + (what.equals("JSON") ? "" : what + " ") + "JSON: "
                    + plain(processing), e);
        }
        return new ContractException("cannot read " + what + " JSON", e);
    }

    /** Java types as a client of the API knows them. */
    private static final Map<String, String> TYPE_WORDS = Map.ofEntries(
            Map.entry("String", "text"), Map.entry("int", "integer"), Map.entry("Integer", "integer"),
            Map.entry("long", "integer"), Map.entry("Long", "integer"), Map.entry("double", "number"),
            Map.entry("Double", "number"), Map.entry("float", "number"), Map.entry("Float", "number"),
            Map.entry("boolean", "true or false"), Map.entry("Boolean", "true or false"),
            Map.entry("Instant", "timestamp"), Map.entry("JsonNode", "JSON value"), Map.entry("ObjectNode", "object"),
            Map.entry("ArrayNode", "array"), Map.entry("List", "array"), Map.entry("ArrayList", "array"),
            Map.entry("Map", "object"), Map.entry("LinkedHashMap", "object"), Map.entry("Object", "value"));

    private static final Pattern QUOTED_TYPE = Pattern.compile("`([A-Za-z0-9_.$<>\\[\\], ]+)`");

    /**
     * The parser's complaint in the project's words: what is wrong and where, never the parser's class
     * names or settings (a client cannot act on {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}).
     */
    static String plain(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (original.startsWith("Trailing token")) {
            return "more content after the JSON value" + where + "; send one JSON document";
        }
        Matcher duplicate = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL).matcher(original);
        if (duplicate.find()) {
            return "field \"" + duplicate.group(1) + "\" appears twice" + where;
        }
        if (e instanceof StreamConstraintsException) {
            return "the document exceeds the reader's limits (too long a value or too deep a nesting)" + where;
        }
        int newline = original.indexOf('\n');
        String text = newline < 0 ? original : original.substring(0, newline);
        Matcher types = QUOTED_TYPE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (types.find()) {
            String name = types.group(1).replaceAll("<.*>|\\[\\]", "").trim();
            String simple = name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
            types.appendReplacement(out, Matcher.quoteReplacement(TYPE_WORDS.getOrDefault(simple, "the expected type")));
        }
        types.appendTail(out);
        text = out.toString();
        // Whatever still names a library or its settings says nothing a client can act on: keep the place.
        if (text.contains("Feature") || text.contains("Exception") || text.contains("com.") || text.contains("java.")
                || text.contains("jackson")) {
            return "not valid JSON" + where;
        }
        return text + where;
    }

    /** The JSON path of a mapping error, e.g. {@code candidates[0].sha256}. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
