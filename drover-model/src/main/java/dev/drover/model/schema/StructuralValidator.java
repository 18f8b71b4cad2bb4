package dev.drover.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a JSON value against a structural {@link Schema}: types, required fields, enums, patterns and
 * minimums. Fields the schema does not declare are removed from the value and reported separately, so
 * the caller can refuse them ({@code fieldValidation=Strict}) or warn about them ({@code Warn}).
 */
public final class StructuralValidator {

    /** What a check found. Unknown fields have already been pruned from the checked value. */
    public record Result(List<FieldError> errors, List<String> unknownFields) {
        public Result {
            errors = List.copyOf(errors);
            unknownFields = List.copyOf(unknownFields);
        }
    }

    private final List<FieldError> errors = new ArrayList<>();
    private final List<String> unknownFields = new ArrayList<>();

    private StructuralValidator() {
    }

    public static Result check(JsonNode value, Schema schema, String path) {
        var validator = new StructuralValidator();
        validator.visit(value, schema, path);
        return new Result(validator.errors, validator.unknownFields);
    }

    private void visit(JsonNode value, Schema schema, String path) {
        if (value == null || value.isNull()) {
            return;
        }
        switch (schema.type()) {
            case ANY -> {
            }
            case OBJECT -> visitObject(value, schema, path);
            case ARRAY -> visitArray(value, schema, path);
            case STRING -> visitString(value, schema, path);
            case INTEGER -> visitInteger(value, schema, path);
            case NUMBER -> {
                if (!value.isNumber()) {
                    errors.add(typeError(path, value, "number"));
                }
            }
            case DECIMAL -> visitDecimal(value, path);
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    errors.add(typeError(path, value, "boolean"));
                }
            }
        }
    }

    private void visitObject(JsonNode value, Schema schema, String path) {
        if (!(value instanceof ObjectNode object)) {
            errors.add(typeError(path, value, "object"));
            return;
        }
        if (schema.additionalProperties().isPresent()) {
            Schema values = schema.additionalProperties().get();
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                visit(entry.getValue(), values, path + "." + entry.getKey());
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            Schema field = schema.properties().get(entry.getKey());
            if (field != null && entry.getValue().isNull() && field.type() != Schema.Type.ANY) {
                // As kube-apiserver prunes a null of a field that is not nullable: the field is unset.
                fields.remove();
                continue;
            }
            if (field == null) {
                unknownFields.add(path + "." + entry.getKey());
                fields.remove();
                continue;
            }
            visit(entry.getValue(), field, path + "." + entry.getKey());
        }
        for (String required : schema.required()) {
            JsonNode present = object.get(required);
            if (present == null || present.isNull()) {
                errors.add(FieldError.required(path + "." + required, requiredHint(schema.properties().get(required))));
            }
        }
    }

    private void visitArray(JsonNode value, Schema schema, String path) {
        if (!(value instanceof ArrayNode array)) {
            errors.add(typeError(path, value, "array"));
            return;
        }
        Schema items = schema.items().orElseThrow();
        Set<JsonNode> identities = new HashSet<>();
        for (int index = 0; index < array.size(); index++) {
            JsonNode item = array.get(index);
            if (item.isNull() && items.type() != Schema.Type.ANY) {
                errors.add(typeError(path + "[" + index + "]", item, items.type().name().toLowerCase(java.util.Locale.ROOT)));
                continue;
            }
            visit(item, items, path + "[" + index + "]");
            Optional<JsonNode> identity = identity(item, schema);
            if (identity.isPresent() && !identities.add(identity.get())) {
                errors.add(FieldError.duplicate(path + "[" + index + "]", identity.get()));
            }
        }
    }

    /** What makes an item unique in a set or map list: its value, or its key fields; nothing in an atomic list. */
    private static Optional<JsonNode> identity(JsonNode item, Schema list) {
        return switch (list.listType()) {
            case ATOMIC -> Optional.empty();
            case SET -> Optional.of(item);
            case MAP -> {
                ObjectNode key = Json.MAPPER.createObjectNode();
                list.listMapKeys().forEach(field -> key.set(field, item.path(field)));
                yield Optional.of(key);
            }
        };
    }

    private void visitString(JsonNode value, Schema schema, String path) {
        if (!value.isTextual()) {
            errors.add(typeError(path, value, "string"));
            return;
        }
        String text = value.textValue();
        if (!schema.enumValues().isEmpty() && !schema.enumValues().contains(text)) {
            errors.add(FieldError.notSupported(path, text, schema.enumValues()));
            return;
        }
        if (schema.pattern().isPresent() && !schema.pattern().get().matcher(text).matches()) {
            errors.add(FieldError.invalid(path, text, "must be " + schema.patternMeaning()));
        }
    }

    private void visitInteger(JsonNode value, Schema schema, String path) {
        if (!value.isIntegralNumber()) {
            errors.add(typeError(path, value, "integer"));
            return;
        }
        if (schema.minimum().isPresent() && value.decimalValue().compareTo(schema.minimum().get()) < 0) {
            errors.add(FieldError.invalid(path, value.longValue(),
                    "must be greater than or equal to " + schema.minimum().get()));
        }
    }

    private void visitDecimal(JsonNode value, String path) {
        if (value.isNumber()) {
            return;
        }
        if (value.isTextual()) {
            if (Numbers.parseDecimal(value.textValue()).isEmpty()) {
                errors.add(FieldError.invalid(path, Numbers.excerpt(value.textValue()),
                        "must be a decimal number such as \"1500.00\""));
            }
            return;
        }
        errors.add(typeError(path, value, "decimal number or string"));
    }

    private static String requiredHint(Schema field) {
        return field == null || field.description().isEmpty() ? "must be set" : field.description();
    }

    private static FieldError typeError(String path, JsonNode value, String expected) {
        return new FieldError("FieldValueTypeInvalid", path,
                "Invalid value: \"" + jsonType(value) + "\": " + path + " in body must be of type " + expected);
    }

    private static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            case OBJECT, POJO -> "object";
            case STRING, BINARY -> "string";
            default -> "null";
        };
    }
}
