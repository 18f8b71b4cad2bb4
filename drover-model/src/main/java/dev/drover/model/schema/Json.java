package dev.drover.model.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.drover.model.error.ApiException;
import java.io.UncheckedIOException;

/** The one JSON configuration of Drover: decimals stay decimal, absent and empty values are left out. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    public static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException corrupt) {
            throw new UncheckedIOException("stored object is not valid JSON", corrupt);
        }
    }

    /** Binds an already structurally validated JSON value to an API record. */
    public static <T> T bind(JsonNode value, Class<T> type) {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (JsonProcessingException mismatch) {
            throw ApiException.badRequest("cannot read " + type.getSimpleName() + ": " + mismatch.getOriginalMessage());
        }
    }

    public static ObjectNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Whether two JSON values are equal as JSON says: numbers by value (1 and 1.0, an int and a long node), everything
     * else as Jackson compares it. Jackson's own equals tells number node types apart.
     */
    public static boolean sameValue(JsonNode left, JsonNode right) {
        return left.equals(NUMBERS_BY_VALUE, right);
    }

    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (left, right) -> {
        if (left.equals(right)) {
            return 0;
        }
        return left.isNumber() && right.isNumber() && left.decimalValue().compareTo(right.decimalValue()) == 0 ? 0 : 1;
    };
}
