package dev.drover.model.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the structural schema of an API type from its record declaration, so the records that
 * validation binds to and the schema that OpenAPI publishes cannot drift apart.
 */
public final class SchemaReflector {

    private SchemaReflector() {
    }

    public static Schema of(Class<?> recordType) {
        return describe(recordType, docOf(recordType));
    }

    private static Schema describe(Type type, String description) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return Schema.arrayOf(description, describe(arguments[0], ""));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Schema.mapOf(description, describe(arguments[1], ""));
            }
            if (raw == java.util.Optional.class) {
                return describe(arguments[0], description);
            }
            throw new IllegalArgumentException("unsupported API field type " + type);
        }
        Class<?> raw = (Class<?>) type;
        if (raw == String.class) {
            return Schema.of(Schema.Type.STRING, description);
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            return Schema.of(Schema.Type.INTEGER, description);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return Schema.of(Schema.Type.BOOLEAN, description);
        }
        if (raw == BigDecimal.class) {
            return Schema.of(Schema.Type.DECIMAL, description);
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return Schema.of(Schema.Type.ANY, description);
        }
        if (raw.isEnum()) {
            return Schema.of(Schema.Type.STRING, description).withEnum(enumWireNames(raw));
        }
        if (raw.isRecord()) {
            return describeRecord(raw, description);
        }
        throw new IllegalArgumentException("unsupported API field type " + type);
    }

    private static Schema describeRecord(Class<?> recordType, String description) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            String name = wireName(component);
            Schema schema = describe(component.getGenericType(), docOf(component));
            Pattern pattern = component.getAnnotation(Pattern.class);
            if (pattern != null) {
                schema = schema.withPattern(pattern.value(), pattern.meaning());
            }
            Minimum minimum = component.getAnnotation(Minimum.class);
            if (minimum != null) {
                schema = schema.withMinimum(minimum.value());
            }
            ListMap listMap = component.getAnnotation(ListMap.class);
            if (listMap != null) {
                schema = listMapOf(recordType, component, schema, List.of(listMap.value()));
            }
            if (component.isAnnotationPresent(ListSet.class)) {
                schema = schema.asSet();
            }
            if (component.isAnnotationPresent(Required.class)) {
                required.add(name);
            }
            properties.put(name, schema);
        }
        return Schema.object(description, properties, required);
    }

    /** A map list's keys must be required fields of its items: an item without its key has no identity. */
    private static Schema listMapOf(Class<?> recordType, RecordComponent component, Schema schema, List<String> keys) {
        Schema items = schema.items().orElseThrow(() -> new IllegalArgumentException(
                recordType.getSimpleName() + "." + component.getName() + " is a list map but not a list"));
        for (String key : keys) {
            if (!items.required().contains(key)) {
                throw new IllegalArgumentException(recordType.getSimpleName() + "." + component.getName()
                        + " is a list map keyed by " + key + ", which its items do not require");
            }
        }
        return schema.asMap(keys);
    }

    private static String wireName(RecordComponent component) {
        JsonProperty property = component.getAnnotation(JsonProperty.class);
        if (property == null) {
            property = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }

    private static List<String> enumWireNames(Class<?> enumType) {
        List<String> names = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty property = enumType.getField(name).getAnnotation(JsonProperty.class);
                names.add(property != null ? property.value() : name);
            } catch (NoSuchFieldException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return names;
    }

    private static String docOf(RecordComponent component) {
        Doc doc = component.getAnnotation(Doc.class);
        return doc == null ? "" : doc.value();
    }

    private static String docOf(Class<?> type) {
        Doc doc = type.getAnnotation(Doc.class);
        return doc == null ? "" : doc.value();
    }
}
