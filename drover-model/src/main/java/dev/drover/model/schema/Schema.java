package dev.drover.model.schema;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A structural schema of one API field, in the subset of OpenAPI that Kubernetes structural schemas
 * use. Properties keep declaration order so that {@code kubectl explain} lists fields as documented.
 */
public record Schema(
        Type type,
        String description,
        Map<String, Schema> properties,
        List<String> required,
        Optional<Schema> items,
        Optional<Schema> additionalProperties,
        List<String> enumValues,
        Optional<java.util.regex.Pattern> pattern,
        String patternMeaning,
        Optional<BigDecimal> minimum,
        ListType listType,
        List<String> listMapKeys) {

    public enum Type {
        OBJECT("object"),
        ARRAY("array"),
        STRING("string"),
        INTEGER("integer"),
        NUMBER("number"),
        BOOLEAN("boolean"),
        /** A decimal amount written as a number or a string ({@code 1500} or {@code "1500.50"}). */
        DECIMAL("string"),
        /** Any JSON value, kept as given ({@code x-kubernetes-preserve-unknown-fields}). */
        ANY("object");

        private final String openApiType;

        Type(String openApiType) {
            this.openApiType = openApiType;
        }

        public String openApiType() {
            return openApiType;
        }
    }

    /**
     * How server-side apply and validation treat a list ({@code x-kubernetes-list-type}): replaced whole, a set of
     * unique scalars, or a map of items identified by {@link #listMapKeys()}.
     */
    public enum ListType {
        ATOMIC("atomic"),
        SET("set"),
        MAP("map");

        private final String wireName;

        ListType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public Schema {
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        required = List.copyOf(required);
        requireNonNull(items, "items is null");
        requireNonNull(additionalProperties, "additionalProperties is null");
        enumValues = List.copyOf(enumValues);
        requireNonNull(pattern, "pattern is null");
        requireNonNull(patternMeaning, "patternMeaning is null");
        requireNonNull(minimum, "minimum is null");
        requireNonNull(listType, "listType is null");
        listMapKeys = List.copyOf(listMapKeys);
        if ((listType == ListType.MAP) == listMapKeys.isEmpty()) {
            throw new IllegalArgumentException("a list of type map needs its keys, and only it has keys");
        }
    }

    public static Schema of(Type type, String description) {
        return new Schema(type, description, Map.of(), List.of(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), "", Optional.empty(), ListType.ATOMIC, List.of());
    }

    public static Schema object(String description, Map<String, Schema> properties, List<String> required) {
        return new Schema(Type.OBJECT, description, properties, required, Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), "", Optional.empty(), ListType.ATOMIC, List.of());
    }

    public static Schema arrayOf(String description, Schema items) {
        return new Schema(Type.ARRAY, description, Map.of(), List.of(), Optional.of(items), Optional.empty(),
                List.of(), Optional.empty(), "", Optional.empty(), ListType.ATOMIC, List.of());
    }

    public static Schema mapOf(String description, Schema values) {
        return new Schema(Type.OBJECT, description, Map.of(), List.of(), Optional.empty(), Optional.of(values),
                List.of(), Optional.empty(), "", Optional.empty(), ListType.ATOMIC, List.of());
    }

    public Schema withDescription(String newDescription) {
        return new Schema(type, newDescription, properties, required, items, additionalProperties, enumValues,
                pattern, patternMeaning, minimum, listType, listMapKeys);
    }

    public Schema withEnum(List<String> values) {
        return new Schema(type, description, properties, required, items, additionalProperties, values,
                pattern, patternMeaning, minimum, listType, listMapKeys);
    }

    public Schema withPattern(String regex, String meaning) {
        return new Schema(type, description, properties, required, items, additionalProperties, enumValues,
                Optional.of(java.util.regex.Pattern.compile(regex)), meaning, minimum, listType, listMapKeys);
    }

    public Schema withMinimum(long value) {
        return new Schema(type, description, properties, required, items, additionalProperties, enumValues,
                pattern, patternMeaning, Optional.of(BigDecimal.valueOf(value)), listType, listMapKeys);
    }

    /** The same list schema as a set of unique scalars. */
    public Schema asSet() {
        return new Schema(type, description, properties, required, items, additionalProperties, enumValues, pattern,
                patternMeaning, minimum, ListType.SET, List.of());
    }

    /** The same list schema as a map of items identified by the given fields. */
    public Schema asMap(List<String> keys) {
        return new Schema(type, description, properties, required, items, additionalProperties, enumValues, pattern,
                patternMeaning, minimum, ListType.MAP, keys);
    }

    /** The same schema with its properties in the given order. */
    public Schema withOrderedProperties(List<String> order) {
        Map<String, Schema> ordered = new LinkedHashMap<>();
        for (String name : order) {
            ordered.put(name, properties.get(name));
        }
        ordered.putAll(properties);
        return new Schema(type, description, ordered, required, items, additionalProperties, enumValues,
                pattern, patternMeaning, minimum, listType, listMapKeys);
    }
}
