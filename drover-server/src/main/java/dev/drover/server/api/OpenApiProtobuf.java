package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The OpenAPI v2 document as the protobuf kubectl asks for
 * ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}): the {@code openapi.v2.Document} message of
 * the gnostic OpenAPIv2 definitions, for the parts Drover's document has (paths with their operations, parameters
 * and responses; definitions with their schemas; {@code x-} extensions as YAML). Field numbers are gnostic's.
 */
final class OpenApiProtobuf {

    private static final Map<String, Integer> OPERATIONS = Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "patch", 8);

    private OpenApiProtobuf() {
    }

    static byte[] document(JsonNode document) {
        var out = new Message();
        out.string(1, document.path("swagger").asText("2.0"));
        var info = new Message();
        info.string(1, document.path("info").path("title").asText(""));
        info.string(2, document.path("info").path("version").asText(""));
        out.message(2, info);
        var paths = new Message();
        document.path("paths").properties().forEach(path -> {
            var named = new Message();
            named.string(1, path.getKey());
            named.message(2, pathItem(path.getValue()));
            paths.message(2, named);
        });
        out.message(8, paths);
        var definitions = new Message();
        document.path("definitions").properties().forEach(definition -> definitions.message(1, named(definition.getKey(),
                schema(definition.getValue()))));
        out.message(9, definitions);
        return out.bytes();
    }

    private static Message pathItem(JsonNode item) {
        var out = new Message();
        OPERATIONS.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(operation -> {
            if (item.has(operation.getKey())) {
                out.message(operation.getValue(), operation(item.get(operation.getKey())));
            }
        });
        return out;
    }

    private static Message operation(JsonNode operation) {
        var out = new Message();
        out.string(5, operation.path("operationId").asText(""));
        for (JsonNode parameter : operation.path("parameters")) {
            var query = new Message();
            query.string(2, parameter.path("in").asText("query"));
            query.string(4, parameter.path("name").asText(""));
            query.string(6, parameter.path("type").asText("string"));
            query.bool(20, parameter.path("uniqueItems").asBoolean(false));
            var nonBody = new Message();
            nonBody.message(3, query);
            var parameterMessage = new Message();
            parameterMessage.message(2, nonBody);
            var item = new Message();
            item.message(1, parameterMessage);
            out.message(8, item);
        }
        var responses = new Message();
        operation.path("responses").properties().forEach(response -> {
            var responseMessage = new Message();
            responseMessage.string(1, response.getValue().path("description").asText(""));
            if (response.getValue().has("schema")) {
                var schemaItem = new Message();
                schemaItem.message(1, schema(response.getValue().get("schema")));
                responseMessage.message(2, schemaItem);
            }
            var value = new Message();
            value.message(1, responseMessage);
            var named = new Message();
            named.string(1, response.getKey());
            named.message(2, value);
            responses.message(1, named);
        });
        out.message(9, responses);
        extensions(operation, 13, out);
        return out;
    }

    private static Message schema(JsonNode schema) {
        var out = new Message();
        out.string(1, schema.path("$ref").asText(""));
        out.string(2, schema.path("format").asText(""));
        out.string(4, schema.path("description").asText(""));
        if (schema.path("maximum").isNumber()) {
            out.fixed64(7, Double.doubleToLongBits(schema.get("maximum").asDouble()));
        }
        if (schema.path("minimum").isNumber()) {
            out.fixed64(9, Double.doubleToLongBits(schema.get("minimum").asDouble()));
        }
        out.string(13, schema.path("pattern").asText(""));
        schema.path("required").forEach(field -> out.string(19, field.asText()));
        schema.path("enum").forEach(value -> out.message(20, any(value)));
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject()) {
            var item = new Message();
            item.message(1, schema(additional));
            out.message(21, item);
        } else if (additional.isBoolean()) {
            var item = new Message();
            item.bool(2, additional.asBoolean());
            out.message(21, item);
        }
        if (schema.has("type")) {
            var type = new Message();
            if (schema.get("type").isArray()) {
                schema.get("type").forEach(value -> type.string(1, value.asText()));
            } else {
                type.string(1, schema.get("type").asText());
            }
            out.message(22, type);
        }
        if (schema.path("items").isObject()) {
            var items = new Message();
            items.message(1, schema(schema.get("items")));
            out.message(23, items);
        }
        if (schema.path("properties").isObject()) {
            var properties = new Message();
            schema.get("properties").properties().forEach(property -> properties.message(1, named(property.getKey(),
                    schema(property.getValue()))));
            out.message(25, properties);
        }
        extensions(schema, 31, out);
        return out;
    }

    /** {@code x-} fields as NamedAny with the value as YAML, as gnostic keeps vendor extensions. */
    private static void extensions(JsonNode object, int field, Message out) {
        object.properties().forEach(property -> {
            if (property.getKey().startsWith("x-")) {
                var named = new Message();
                named.string(1, property.getKey());
                named.message(2, any(property.getValue()));
                out.message(field, named);
            }
        });
    }

    private static Message any(JsonNode value) {
        var any = new Message();
        any.string(2, Representation.yaml(value));
        return any;
    }

    private static Message named(String name, Message value) {
        var named = new Message();
        named.string(1, name);
        named.message(2, value);
        return named;
    }

    /** A protobuf message being written: fields in the order added; empty strings and false are left out, as proto3 does. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void string(int field, String value) {
            if (!value.isEmpty()) {
                bytes(field, value.getBytes(StandardCharsets.UTF_8));
            }
        }

        void bool(int field, boolean value) {
            if (value) {
                varint((long) field << 3);
                varint(1);
            }
        }

        void fixed64(int field, long value) {
            varint((long) field << 3 | 1);
            for (int shift = 0; shift < 64; shift += 8) {
                out.write((int) (value >>> shift) & 0xff);
            }
        }

        void message(int field, Message value) {
            bytes(field, value.bytes());
        }

        private void bytes(int field, byte[] value) {
            varint((long) field << 3 | 2);
            varint(value.length);
            out.writeBytes(value);
        }

        private void varint(long value) {
            long rest = value;
            while ((rest & ~0x7fL) != 0) {
                out.write((int) (rest & 0x7f) | 0x80);
                rest >>>= 7;
            }
            out.write((int) rest);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
