package dev.drover.server.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON value read through its schema the way server-side apply reads it: which field paths it sets, how two values
 * merge and how paths are removed. Fields of a declared object are owned one by one, and so are the entries of a map
 * ({@code additionalProperties}, or a value the schema leaves open), the items of a set list by value and the items of
 * a map list by key; everything else (scalars, atomic lists, empty objects) is owned whole.
 */
final class TypedValue {

    private static final Schema OPEN = Schema.of(Schema.Type.ANY, "");

    /** One path the value sets, with the value there; leaves compare by value, containers do not. */
    record Member(JsonNode value, boolean leaf) {
    }

    private TypedValue() {
    }

    /** Every path the value sets, in document order. */
    static Map<List<String>, Member> members(JsonNode value, Schema schema) {
        Map<List<String>, Member> members = new LinkedHashMap<>();
        collect(value, schema, new ArrayList<>(), members);
        return members;
    }

    static FieldSet fieldSet(JsonNode value, Schema schema) {
        return FieldSet.of(members(value, schema).keySet());
    }

    private static void collect(JsonNode value, Schema schema, List<String> path, Map<List<String>, Member> members) {
        switch (shape(value, schema)) {
            case STRUCT -> value.properties().forEach(entry -> {
                Optional<Schema> declared = Optional.ofNullable(schema.properties().get(entry.getKey()));
                path.add(field(entry.getKey()));
                JsonNode child = entry.getValue();
                collect(child, declared.orElse(OPEN), path, members);
                if (declared.isEmpty() || child.isNull() || (child.isObject() && child.isEmpty())) {
                    members.putIfAbsent(List.copyOf(path), new Member(child, !child.isContainerNode() || child.isEmpty()));
                }
                path.removeLast();
            });
            case MAP -> value.properties().forEach(entry -> {
                path.add(field(entry.getKey()));
                JsonNode child = entry.getValue();
                collect(child, schema.additionalProperties().orElse(OPEN), path, members);
                members.putIfAbsent(List.copyOf(path), new Member(child, !child.isContainerNode() || child.isEmpty()));
                path.removeLast();
            });
            case SET -> value.forEach(item -> {
                path.add(valueElement(item));
                members.put(List.copyOf(path), new Member(item, false));
                path.removeLast();
            });
            case KEYED_LIST -> value.forEach(item -> {
                path.add(keyElement(item, schema.listMapKeys()));
                collect(item, schema.items().orElseThrow(), path, members);
                members.put(List.copyOf(path), new Member(item, false));
                path.removeLast();
            });
            case LEAF -> members.put(List.copyOf(path), new Member(value, true));
        }
    }

    /**
     * The live value with the applied configuration merged in: configuration values win, objects merge field by field,
     * set and map lists item by item (items keep their place; new items follow in the configuration's order),
     * everything else is replaced whole. Nulls in the configuration are dropped, as for a CRD without nullable fields.
     */
    static JsonNode merge(JsonNode live, JsonNode config, Schema schema) {
        if (live == null || live.isNull() || shape(live, schema) != shape(config, schema)) {
            return withoutNulls(config);
        }
        return switch (shape(config, schema)) {
            case STRUCT, MAP -> {
                ObjectNode merged = ((ObjectNode) live).deepCopy();
                config.properties().forEach(entry -> {
                    if (!entry.getValue().isNull()) {
                        merged.set(entry.getKey(), merge(live.get(entry.getKey()), entry.getValue(), childSchema(schema, entry.getKey())));
                    }
                });
                yield merged;
            }
            case SET, KEYED_LIST -> {
                Map<String, JsonNode> merged = new LinkedHashMap<>(items(live, schema));
                items(config, schema).forEach((element, item) ->
                        merged.put(element, merge(merged.get(element), item, schema.items().orElse(OPEN))));
                ArrayNode list = Json.MAPPER.createArrayNode();
                merged.values().forEach(item -> list.add(item.deepCopy()));
                yield list;
            }
            case LEAF -> withoutNulls(config);
        };
    }

    /**
     * The value without the paths of {@code remove}, except paths that {@code keep} has (or has paths below): a field
     * that another manager still owns, or owns part of, stays. An object left empty by the removal goes too.
     */
    static JsonNode remove(JsonNode value, Schema schema, FieldSet remove, FieldSet keep) {
        Shape shape = shape(value, schema);
        if (remove.isEmpty() || shape == Shape.LEAF) {
            return value;
        }
        if (shape == Shape.STRUCT || shape == Shape.MAP) {
            ObjectNode pruned = ((ObjectNode) value).deepCopy();
            value.properties().forEach(entry -> {
                String element = field(entry.getKey());
                JsonNode child = entry.getValue();
                JsonNode kept = removeChild(child, childSchema(schema, entry.getKey()), remove.child(element), keep.child(element));
                if (kept == null) {
                    pruned.remove(entry.getKey());
                } else {
                    pruned.set(entry.getKey(), kept);
                }
            });
            return pruned;
        }
        ArrayNode pruned = Json.MAPPER.createArrayNode();
        items(value, schema).forEach((element, item) -> {
            JsonNode kept = removeChild(item, schema.items().orElse(OPEN), remove.child(element), keep.child(element));
            if (kept != null) {
                pruned.add(kept);
            }
        });
        return pruned;
    }

    /** The child as it stays, or null when it goes. */
    private static JsonNode removeChild(JsonNode child, Schema schema, FieldSet remove, FieldSet keep) {
        if (remove.isMember() && keep.isEmpty()) {
            return null;
        }
        JsonNode kept = remove(child, schema, remove, keep);
        boolean emptied = kept.isContainerNode() && kept.isEmpty() && !child.isEmpty();
        return emptied && keep.isEmpty() ? null : kept;
    }

    /** A path as kube-apiserver prints it in conflicts: {@code .spec.nodePools[name="general"].maxSize}. */
    static String display(List<String> path) {
        var text = new StringBuilder();
        for (String element : path) {
            String body = element.substring(2);
            switch (element.charAt(0)) {
                case 'f' -> text.append('.').append(body);
                case 'k' -> {
                    List<String> pairs = new ArrayList<>();
                    Json.parseObject(body).properties().forEach(entry -> pairs.add(entry.getKey() + "=" + Json.write(entry.getValue())));
                    text.append('[').append(String.join(",", pairs)).append(']');
                }
                case 'v' -> text.append("[=").append(body).append(']');
                default -> text.append('[').append(body).append(']');
            }
        }
        return text.toString();
    }

    private enum Shape { STRUCT, MAP, SET, KEYED_LIST, LEAF }

    private static Shape shape(JsonNode value, Schema schema) {
        if (value == null || value.isNull()) {
            return Shape.LEAF;
        }
        if (value.isObject()) {
            if (!schema.properties().isEmpty()) {
                return Shape.STRUCT;
            }
            return schema.type() == Schema.Type.ANY || schema.additionalProperties().isPresent() ? Shape.MAP : Shape.STRUCT;
        }
        if (value.isArray()) {
            return switch (schema.listType()) {
                case ATOMIC -> Shape.LEAF;
                case SET -> Shape.SET;
                case MAP -> Shape.KEYED_LIST;
            };
        }
        return Shape.LEAF;
    }

    private static Schema childSchema(Schema schema, String field) {
        Schema declared = schema.properties().get(field);
        return declared != null ? declared : schema.additionalProperties().orElse(OPEN);
    }

    /** The items of a set or map list by their path element; a later duplicate replaces an earlier one. */
    private static Map<String, JsonNode> items(JsonNode list, Schema schema) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        for (JsonNode item : list) {
            items.put(schema.listType() == Schema.ListType.SET ? valueElement(item) : keyElement(item, schema.listMapKeys()), item);
        }
        return items;
    }

    private static JsonNode withoutNulls(JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            value.properties().forEach(entry -> {
                if (!entry.getValue().isNull()) {
                    copy.set(entry.getKey(), withoutNulls(entry.getValue()));
                }
            });
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            value.forEach(item -> copy.add(withoutNulls(item)));
            return copy;
        }
        return value.deepCopy();
    }

    static String field(String name) {
        return "f:" + name;
    }

    private static String valueElement(JsonNode item) {
        return "v:" + Json.write(item);
    }

    /** {@code k:} with the key fields as compact JSON, sorted by name as FieldsV1 writes them. */
    private static String keyElement(JsonNode item, List<String> keys) {
        ObjectNode key = Json.MAPPER.createObjectNode();
        keys.stream().sorted().forEach(name -> key.set(name, item.path(name)));
        return "k:" + Json.write(key);
    }
}
