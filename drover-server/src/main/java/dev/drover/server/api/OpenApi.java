package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.ObjectMetaSchema;
import dev.drover.model.schema.Schema;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/** OpenAPI v2 and v3 documents of the API, built from the kinds' structural schemas. */
final class OpenApi {

    private final String version;
    private final ObjectNode v2;
    private final byte[] v2Protobuf;
    private final ObjectNode v3;
    private final String v3Hash;
    private final ObjectNode coreV3;
    private final String coreV3Hash;

    OpenApi(String version) {
        this.version = version;
        this.v2 = buildV2();
        this.v2Protobuf = OpenApiProtobuf.document(v2);
        this.v3 = buildV3();
        this.v3Hash = sha512(Json.write(v3));
        this.coreV3 = buildCoreV3();
        this.coreV3Hash = sha512(Json.write(coreV3));
    }

    /** The core v1 document: the read-only Namespace view of the Teams, so that kubectl explain namespace works. */
    ObjectNode v3Core() {
        return coreV3;
    }

    private ObjectNode buildCoreV3() {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("openapi", "3.0.0");
        document.putObject("info").put("title", "Drover").put("version", version);
        ObjectNode paths = document.putObject("paths");
        for (String path : List.of("/api/v1/namespaces", "/api/v1/namespaces/{name}")) {
            ObjectNode get = paths.putObject(path).putObject("get");
            get.put("operationId", (path.endsWith("}") ? "read" : "list") + "CoreV1Namespace");
            get.put("x-kubernetes-action", path.endsWith("}") ? "get" : "list");
            get.putObject("x-kubernetes-group-version-kind").put("group", "").put("kind", "Namespace").put("version", "v1");
            get.putObject("responses").putObject("200").put("description", "OK").putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + NAMESPACE_DEFINITION);
        }
        ObjectNode namespace = document.putObject("components").putObject("schemas").putObject(NAMESPACE_DEFINITION);
        namespace.put("description", "A read-only view of a Drover Team: the namespace of the Team's Clusters. Create, change "
                + "and delete Teams instead.");
        namespace.put("type", "object");
        ObjectNode properties = namespace.putObject("properties");
        properties.putObject("apiVersion").put("type", "string").put("description", "v1");
        properties.putObject("kind").put("type", "string").put("description", "Namespace");
        properties.set("metadata", toOpenApi(ObjectMetaSchema.SCHEMA));
        ObjectNode status = properties.putObject("status").put("type", "object")
                .put("description", "The Team's state as a namespace phase.");
        status.putObject("properties").putObject("phase").put("type", "string")
                .put("description", "Active, or Terminating while the Team is being deleted.");
        namespace.putArray("x-kubernetes-group-version-kind").addObject().put("group", "").put("kind", "Namespace").put("version", "v1");
        return document;
    }

    private static final String NAMESPACE_DEFINITION = "io.k8s.api.core.v1.Namespace";

    ObjectNode v2() {
        return v2;
    }

    /** The v2 document as protobuf, encoded once. */
    byte[] v2Protobuf() {
        return v2Protobuf.clone();
    }

    ObjectNode v3GroupVersion() {
        return v3;
    }

    /** The v3 index: one entry per group version, with a content hash so clients can cache. */
    ObjectNode v3Index() {
        ObjectNode index = Json.MAPPER.createObjectNode();
        ObjectNode paths = index.putObject("paths");
        paths.putObject("api/v1").put("serverRelativeURL", "/openapi/v3/api/v1?hash=" + coreV3Hash);
        paths.putObject("apis/" + Kinds.GROUP + "/" + Kinds.VERSION)
                .put("serverRelativeURL", "/openapi/v3/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "?hash=" + v3Hash);
        return index;
    }

    static String definitionName(Kind kind) {
        return "dev.drover.platform." + kind.version() + "." + kind.kind();
    }

    private ObjectNode buildV2() {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("swagger", "2.0");
        fill(document, document.putObject("definitions"), "#/definitions/", (response, reference) ->
                response.putObject("schema").put("$ref", reference));
        return document;
    }

    private ObjectNode buildV3() {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("openapi", "3.0.0");
        fill(document, document.putObject("components").putObject("schemas"), "#/components/schemas/",
                (response, reference) -> response.putObject("content").putObject("application/json")
                        .putObject("schema").put("$ref", reference));
        return document;
    }

    /**
     * Adds info, paths and schemas; v2 and v3 differ only in where schemas live and how a response refers to one.
     */
    private void fill(ObjectNode document, ObjectNode schemas, String referencePrefix,
                      java.util.function.BiConsumer<ObjectNode, String> setResponseSchema) {
        document.putObject("info").put("title", "Drover").put("version", version);
        ObjectNode paths = document.putObject("paths");
        for (Kind kind : Kinds.ALL) {
            addOperations(paths, kind, ignored -> {
                ObjectNode response = Json.MAPPER.createObjectNode().put("description", "OK");
                setResponseSchema.accept(response, referencePrefix + definitionName(kind));
                return response;
            });
            schemas.set(definitionName(kind), kindSchema(kind));
        }
    }

    private static ObjectNode kindSchema(Kind kind) {
        ObjectNode schema = toOpenApi(kind.objectSchema());
        schema.putArray("x-kubernetes-group-version-kind").add(groupVersionKind(kind));
        return schema;
    }

    private static ObjectNode groupVersionKind(Kind kind) {
        return Json.MAPPER.createObjectNode().put("group", kind.group()).put("kind", kind.kind()).put("version", kind.version());
    }

    /**
     * The operations of a kind with their group-version-kind and query parameters: {@code kubectl explain} finds
     * a resource's schema through them, and kubectl checks that the write operations take
     * {@code fieldValidation} before it leaves validation to the server.
     */
    private static void addOperations(ObjectNode paths, Kind kind, java.util.function.Function<Kind, ObjectNode> okResponse) {
        String collection = "/apis/" + kind.group() + "/" + kind.version() + "/"
                + (kind.namespaced() ? "namespaces/{namespace}/" : "") + kind.plural();
        ObjectNode collectionPath = paths.putObject(collection);
        operation(collectionPath, "get", "list", kind, List.of(), okResponse);
        operation(collectionPath, "post", "post", kind, WRITE_PARAMETERS, okResponse);
        ObjectNode objectPath = paths.putObject(collection + "/{name}");
        operation(objectPath, "get", "get", kind, List.of(), okResponse);
        operation(objectPath, "put", "put", kind, WRITE_PARAMETERS, okResponse);
        operation(objectPath, "patch", "patch", kind, WRITE_PARAMETERS, okResponse);
        operation(objectPath, "delete", "delete", kind, List.of("dryRun"), okResponse);
    }

    private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation");

    private static void operation(ObjectNode path, String method, String action, Kind kind, List<String> queryParameters,
                                  java.util.function.Function<Kind, ObjectNode> okResponse) {
        ObjectNode operation = path.putObject(method);
        operation.put("operationId", action + kind.kind());
        operation.put("x-kubernetes-action", action);
        operation.set("x-kubernetes-group-version-kind", groupVersionKind(kind));
        ArrayNode parameters = operation.putArray("parameters");
        for (String name : queryParameters) {
            ObjectNode parameter = parameters.addObject().put("name", name).put("in", "query").put("type", "string")
                    .put("uniqueItems", true);
            parameter.putObject("schema").put("type", "string").put("uniqueItems", true);
        }
        operation.putObject("responses").set("200", okResponse.apply(kind));
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
        if (schema.type() == Schema.Type.ARRAY) {
            node.put("x-kubernetes-list-type", schema.listType().wireName());
            if (!schema.listMapKeys().isEmpty()) {
                ArrayNode keys = node.putArray("x-kubernetes-list-map-keys");
                schema.listMapKeys().forEach(keys::add);
            }
        }
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
