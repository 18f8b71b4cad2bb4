package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kind;
import dev.drover.model.resource.Kinds;
import dev.drover.model.resource.Schema;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/** OpenAPI v2 and v3 documents of the API, built from the kinds' structural schemas. */
final class OpenApi {

    private final String version;
    private final ObjectNode v2;
    private final ObjectNode v3;
    private final String v3Hash;

    OpenApi(String version) {
        this.version = version;
        this.v2 = buildV2();
        this.v3 = buildV3();
        this.v3Hash = sha512(Json.write(v3));
    }

    ObjectNode v2() {
        return v2;
    }

    ObjectNode v3GroupVersion() {
        return v3;
    }

    /** The v3 index: one entry per group version, with a content hash so clients can cache. */
    ObjectNode v3Index() {
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.putObject("paths").putObject("apis/" + Kinds.GROUP + "/" + Kinds.VERSION)
                .put("serverRelativeURL", "/openapi/v3/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "?hash=" + v3Hash);
        return index;
    }

    static String definitionName(Kind kind) {
        return "dev.drover.platform." + kind.version() + "." + kind.kind();
    }

    private ObjectNode buildV2() {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("swagger", "2.0");
        document.putObject("info").put("title", "Drover").put("version", version);
        document.putObject("paths");
        ObjectNode definitions = document.putObject("definitions");
        for (Kind kind : Kinds.ALL) {
            definitions.set(definitionName(kind), kindSchema(kind));
        }
        return document;
    }

    private ObjectNode buildV3() {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("openapi", "3.0.0");
        document.putObject("info").put("title", "Drover").put("version", version);
        document.putObject("paths");
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        for (Kind kind : Kinds.ALL) {
            schemas.set(definitionName(kind), kindSchema(kind));
        }
        return document;
    }

    private static ObjectNode kindSchema(Kind kind) {
        ObjectNode schema = toOpenApi(kind.objectSchema());
        ArrayNode groupVersionKind = schema.putArray("x-kubernetes-group-version-kind");
        groupVersionKind.addObject().put("group", kind.group()).put("kind", kind.kind()).put("version", kind.version());
        return schema;
    }

    static ObjectNode toOpenApi(Schema schema) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (!schema.description().isEmpty()) {
            node.put("description", schema.description());
        }
        switch (schema.type()) {
            case ANY -> node.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
            case DECIMAL -> node.put("type", "string").put("format", "decimal");
            default -> node.put("type", schema.type().openApiType());
        }
        if (!schema.properties().isEmpty()) {
            ObjectNode properties = node.putObject("properties");
            for (Map.Entry<String, Schema> property : schema.properties().entrySet()) {
                properties.set(property.getKey(), toOpenApi(property.getValue()));
            }
        }
        if (!schema.required().isEmpty()) {
            ArrayNode required = node.putArray("required");
            schema.required().forEach(required::add);
        }
        schema.items().ifPresent(items -> node.set("items", toOpenApi(items)));
        schema.additionalProperties().ifPresent(values -> node.set("additionalProperties", toOpenApi(values)));
        if (!schema.enumValues().isEmpty()) {
            ArrayNode values = node.putArray("enum");
            schema.enumValues().forEach(values::add);
        }
        schema.pattern().ifPresent(pattern -> node.put("pattern", pattern.pattern()));
        schema.minimum().ifPresent(minimum -> node.put("minimum", minimum));
        return node;
    }

    private static String sha512(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%0128X", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
