package dev.drover.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import java.util.Locale;

/**
 * The form a read answers in, from the Accept header as kube-apiserver reads it: the first media range it can serve
 * wins. {@code as=Table} and {@code as=PartialObjectMetadata[List]} (group meta.k8s.io) transform the objects;
 * {@code application/yaml} writes them as YAML.
 */
enum Representation {
    JSON, YAML, TABLE, PARTIAL_METADATA;

    private static final YAMLMapper YAML_WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    static Representation of(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            String as = "";
            for (int index = 1; index < parts.length; index++) {
                String parameter = parts[index].trim();
                if (parameter.startsWith("as=")) {
                    as = parameter.substring(3);
                }
            }
            if (as.equals("Table")) {
                return TABLE;
            }
            if (as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList")) {
                return PARTIAL_METADATA;
            }
            if (!as.isEmpty()) {
                continue;
            }
            if (type.equals("application/yaml")) {
                return YAML;
            }
            if (type.equals("application/json") || type.equals("*/*") || type.equals("application/*")) {
                return JSON;
            }
        }
        throw new ApiException(ApiException.Reason.NOT_ACCEPTABLE, "none of the media types in the Accept header (" + accept
                + ") can be served; accepted: application/json, application/yaml, and the meta.k8s.io Table and "
                + "PartialObjectMetadata forms of application/json");
    }

    /** The object's metadata alone, as {@code PartialObjectMetadata}. */
    static ObjectNode partialMetadata(JsonNode object) {
        ObjectNode partial = Json.MAPPER.createObjectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.get("metadata"));
        return partial;
    }

    static String yaml(JsonNode node) {
        try {
            return YAML_WRITER.writeValueAsString(node);
        } catch (JsonProcessingException unexpected) {
            throw new IllegalStateException("cannot write a JSON tree as YAML", unexpected);
        }
    }
}
