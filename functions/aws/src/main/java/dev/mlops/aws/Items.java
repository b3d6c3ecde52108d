package dev.mlops.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB items from and to the core's records, through the project's one JSON mapping: an item's
 * attributes are the record's snake_case fields, nested records become maps, nulls are left out.
 * No bean mapper, no reflection at cold start beyond what Jackson already does.
 */
final class Items {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Items() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(Number value) {
        return AttributeValue.fromN(value.toString());
    }

    /** A record as an item. */
    static Map<String, AttributeValue> of(Object record) {
        JsonNode tree = Json.MAPPER.valueToTree(record);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        tree.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                item.put(e.getKey(), value(e.getValue()));
            }
        });
        return item;
    }

    /** A record (or any value) as one attribute: a record becomes a map. */
    static AttributeValue attribute(Object value) {
        return value(Json.MAPPER.valueToTree(value));
    }

    /** An item as a record, leaving out the attributes that are storage details (keys like {@code sk}). */
    static <T> T to(Map<String, AttributeValue> item, Class<T> type, String... storageOnly) {
        ObjectNode node = NODES.objectNode();
        item.forEach((k, v) -> node.set(k, json(v)));
        for (String name : storageOnly) {
            node.remove(name);
        }
        return Json.convert(node, type);
    }

    private static AttributeValue value(JsonNode node) {
        if (node.isTextual()) {
            return AttributeValue.fromS(node.textValue());
        }
        if (node.isNumber()) {
            return AttributeValue.fromN(node.numberValue().toString());
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.booleanValue());
        }
        if (node.isNull()) {
            return AttributeValue.fromNul(true);
        }
        if (node.isArray()) {
            List<AttributeValue> list = new ArrayList<>();
            node.forEach(n -> list.add(value(n)));
            return AttributeValue.fromL(list);
        }
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
        return AttributeValue.fromM(map);
    }

    private static JsonNode json(AttributeValue v) {
        switch (v.type()) {
            case S:
                return NODES.textNode(v.s());
            case N:
                BigDecimal d = new BigDecimal(v.n());
                return d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                        ? NODES.numberNode(d.longValueExact()) : NODES.numberNode(d.doubleValue());
            case BOOL:
                return NODES.booleanNode(v.bool());
            case NUL:
                return NODES.nullNode();
            case L:
                ArrayNode array = NODES.arrayNode();
                v.l().forEach(e -> array.add(json(e)));
                return array;
            case M:
                ObjectNode object = NODES.objectNode();
                v.m().forEach((k, e) -> object.set(k, json(e)));
                return object;
            case SS:
                ArrayNode strings = NODES.arrayNode();
                v.ss().forEach(strings::add);
                return strings;
            default:
                throw new IllegalStateException("unexpected DynamoDB attribute type " + v.type());
        }
    }
}
