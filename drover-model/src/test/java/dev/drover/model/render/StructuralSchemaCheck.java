package dev.drover.model.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a Kubernetes structural schema the way the API server's structural checks do:
 * types, unknown fields (which the server would prune, so for a renderer they are a bug), required fields,
 * enums, patterns, lengths, bounds and item counts. CEL rules (x-kubernetes-validations) are not evaluated.
 */
final class StructuralSchemaCheck {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$");

    private final List<String> errors = new ArrayList<>();

    static List<String> errors(JsonNode value, JsonNode schema) {
        var check = new StructuralSchemaCheck();
        check.value(value, schema, "");
        check.metadata(value.path("metadata"));
        return check.errors;
    }

    private void value(JsonNode value, JsonNode schema, String path) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": null is not allowed");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(path + ": must be an integer or a string");
            }
            return;
        }
        if (schema.has("enum")) {
            boolean allowed = false;
            for (JsonNode option : schema.get("enum")) {
                allowed |= option.equals(value) || option.asText().equals(value.asText()) && option.isTextual() == value.isTextual();
            }
            if (!allowed) {
                errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        switch (schema.path("type").asText("")) {
            case "object" -> object(value, schema, path);
            case "array" -> array(value, schema, path);
            case "string" -> string(value, schema, path);
            case "integer" -> number(value, schema, path, value.isIntegralNumber());
            case "number" -> number(value, schema, path, value.isNumber());
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(path + ": must be a boolean");
                }
            }
            default -> {
                // No type: anything goes (x-kubernetes-preserve-unknown-fields or an untyped value).
            }
        }
    }

    /** The server checks metadata as ObjectMeta, which CRD schemas leave out: names and label maps. */
    private void metadata(JsonNode metadata) {
        for (String field : List.of("name", "namespace")) {
            if (metadata.has(field) && !NAME.matcher(metadata.get(field).asText()).matches()) {
                errors.add(".metadata." + field + ": \"" + metadata.get(field).asText() + "\" is not a DNS subdomain");
            }
        }
        for (String map : List.of("labels", "annotations")) {
            metadata.path(map).properties().forEach(entry -> {
                if (!entry.getValue().isTextual()) {
                    errors.add(".metadata." + map + "." + entry.getKey() + ": must be a string");
                }
            });
        }
        metadata.path("labels").properties().forEach(entry -> {
            if (!LABEL_VALUE.matcher(entry.getValue().asText()).matches()) {
                errors.add(".metadata.labels." + entry.getKey() + ": \"" + entry.getValue().asText() + "\" is not a label value");
            }
        });
    }

    private void object(JsonNode value, JsonNode schema, String path) {
        if (path.equals(".metadata")) {
            return;
        }
        if (!value.isObject()) {
            errors.add(path + ": must be an object");
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                value(field.getValue(), properties.get(field.getKey()), fieldPath);
            } else if (additional.isObject()) {
                value(field.getValue(), additional, fieldPath);
            } else if (!preserveUnknown && !additional.asBoolean(false)) {
                errors.add(fieldPath + ": unknown field");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + "." + required.asText() + ": required");
            }
        }
    }

    private void array(JsonNode value, JsonNode schema, String path) {
        if (!value.isArray()) {
            errors.add(path + ": must be an array");
            return;
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            errors.add(path + ": fewer than " + schema.get("minItems") + " items");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            errors.add(path + ": more than " + schema.get("maxItems") + " items");
        }
        for (int index = 0; index < value.size(); index++) {
            value(value.get(index), schema.path("items"), path + "[" + index + "]");
        }
    }

    private void string(JsonNode value, JsonNode schema, String path) {
        if (!value.isTextual()) {
            errors.add(path + ": must be a string, is " + value);
            return;
        }
        String text = value.asText();
        if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
            errors.add(path + ": longer than " + schema.get("maxLength"));
        }
        if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
            errors.add(path + ": shorter than " + schema.get("minLength"));
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
            errors.add(path + ": \"" + text + "\" does not match " + schema.get("pattern").asText());
        }
    }

    private void number(JsonNode value, JsonNode schema, String path, boolean rightType) {
        if (!rightType) {
            errors.add(path + ": must be a " + schema.path("type").asText() + ", is " + value);
            return;
        }
        if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
            errors.add(path + ": less than " + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
            errors.add(path + ": more than " + schema.get("maximum"));
        }
    }
}
