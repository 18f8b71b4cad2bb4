package dev.drover.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902) over a copy of the stored object. */
final class Patches {

    private Patches() {
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : dev.drover.model.schema.Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("a JSON patch must be an array of operations, for example "
                    + "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":5}]");
        }
        JsonNode document = target.deepCopy();
        for (int index = 0; index < patch.size(); index++) {
            JsonNode operation = patch.get(index);
            String op = text(operation, "op", index);
            String path = text(operation, "path", index);
            document = switch (op) {
                case "add" -> add(document, pointer(path, index), value(operation, index), index);
                case "remove" -> remove(document, pointer(path, index), index);
                case "replace" -> pointer(path, index).isEmpty() ? value(operation, index)
                        : add(remove(document, pointer(path, index), index), pointer(path, index), value(operation, index), index);
                case "move" -> {
                    List<String> from = pointer(text(operation, "from", index), index);
                    JsonNode moved = resolve(document, from, index);
                    yield add(remove(document, from, index), pointer(path, index), moved, index);
                }
                case "copy" -> add(document, pointer(path, index),
                        resolve(document, pointer(text(operation, "from", index), index), index).deepCopy(), index);
                case "test" -> {
                    if (!Json.sameValue(resolve(document, pointer(path, index), index), value(operation, index))) {
                        throw new ApiException(ApiException.Reason.INVALID, "the JSON patch test operation " + index
                                + " failed: the value at " + path + " differs");
                    }
                    yield document;
                }
                default -> throw ApiException.badRequest("JSON patch operation " + index + " has unknown op \"" + op
                        + "\" (allowed: add, remove, replace, move, copy, test)");
            };
        }
        return document;
    }

    private static JsonNode add(JsonNode document, List<String> path, JsonNode value, int index) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode parent = resolve(document, path.subList(0, path.size() - 1), index);
        String last = path.getLast();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                int position = arrayIndex(last, array.size(), index);
                array.insert(position, value);
            }
        } else {
            throw pathError(index, path, "its parent is not an object or array");
        }
        return document;
    }

    private static JsonNode remove(JsonNode document, List<String> path, int index) {
        if (path.isEmpty()) {
            throw pathError(index, path, "the whole document cannot be removed");
        }
        JsonNode parent = resolve(document, path.subList(0, path.size() - 1), index);
        String last = path.getLast();
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(arrayIndex(last, array.size() - 1, index));
        } else {
            throw pathError(index, path, "there is no value there");
        }
        return document;
    }

    private static JsonNode resolve(JsonNode document, List<String> path, int index) {
        JsonNode current = document;
        for (String token : path) {
            if (current instanceof ObjectNode object && object.has(token)) {
                current = object.get(token);
            } else if (current instanceof ArrayNode array) {
                current = array.get(arrayIndex(token, array.size() - 1, index));
            } else {
                throw pathError(index, path, "there is no value at \"" + token + "\"");
            }
        }
        return current;
    }

    private static int arrayIndex(String token, int highest, int index) {
        try {
            int position = Integer.parseInt(token);
            if (position < 0 || position > highest) {
                throw new NumberFormatException();
            }
            return position;
        } catch (NumberFormatException outOfRange) {
            throw new ApiException(ApiException.Reason.INVALID, "JSON patch operation " + index + ": array index \""
                    + token + "\" is out of range (0.." + highest + ")");
        }
    }

    private static List<String> pointer(String path, int index) {
        if (path.isEmpty()) {
            return List.of();
        }
        if (!path.startsWith("/")) {
            throw ApiException.badRequest("JSON patch operation " + index + ": path \"" + path
                    + "\" must be a JSON pointer starting with '/'");
        }
        List<String> tokens = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static String text(JsonNode operation, String field, int index) {
        JsonNode value = operation.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest("JSON patch operation " + index + " needs a string \"" + field + "\"");
        }
        return value.textValue();
    }

    private static JsonNode value(JsonNode operation, int index) {
        if (!operation.has("value")) {
            throw ApiException.badRequest("JSON patch operation " + index + " needs a \"value\"");
        }
        return operation.get("value").deepCopy();
    }

    private static ApiException pathError(int index, List<String> path, String why) {
        return new ApiException(ApiException.Reason.INVALID, "JSON patch operation " + index + " cannot apply at /"
                + String.join("/", path) + ": " + why);
    }
}
