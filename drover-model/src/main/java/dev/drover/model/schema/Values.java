package dev.drover.model.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Normalises absent JSON fields in API records: a missing list is empty, a missing option is empty. */
public final class Values {

    private Values() {
    }

    public static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(value));
    }

    public static <V> Map<String, V> map(Map<String, V> value) {
        return value == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    public static <T> Optional<T> option(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }
}
