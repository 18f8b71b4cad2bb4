package dev.drover.server.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.Numbers;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/** Reads request bodies: size limit, content type, and JSON or YAML with the position of a syntax error. */
final class RequestBodies {

    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    static final String JSON = "application/json";
    static final String YAML = "application/yaml";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";
    /** What client-go sends for built-in kinds, such as the access reviews of kubectl auth. */
    static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private static final ObjectMapper YAML_MAPPER = YAMLMapper.builder().build();

    private RequestBodies() {
    }

    /** The media type of the request without parameters, lower case. */
    static String mediaType(Context context) {
        String contentType = context.header("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return JSON;
        }
        return contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    /** @throws ApiException UnsupportedMediaType unless the type is one of those allowed */
    static void requireMediaType(Context context, List<String> allowed) {
        String type = mediaType(context);
        if (!allowed.contains(type)) {
            throw new ApiException(ApiException.Reason.UNSUPPORTED_MEDIA_TYPE, "the body of the request was in an unknown format \""
                    + type + "\"; accepted media types include: " + String.join(", ", allowed));
        }
    }

    static JsonNode read(Context context) {
        String declaredLength = context.header("Content-Length");
        if (declaredLength != null && parseLength(declaredLength) > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes = readLimited(context);
        if (bytes.length == 0) {
            throw ApiException.badRequest("the request has no body; send the object as JSON or YAML");
        }
        boolean yaml = mediaType(context).contains("yaml");
        try {
            JsonNode node = (yaml ? YAML_MAPPER : Json.MAPPER).readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty; send the object as " + (yaml ? "YAML" : "JSON"));
            }
            JsonNode body = yaml ? Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(node)) : node;
            checkValues(body, "");
            return body;
        } catch (JsonProcessingException malformed) {
            JsonLocation where = malformed.getLocation();
            String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw ApiException.badRequest("the request body is not valid " + (yaml ? "YAML" : "JSON") + position + ": "
                    + malformed.getOriginalMessage());
        } catch (IOException unreadable) {
            throw ApiException.badRequest("the request body could not be read: " + unreadable.getMessage());
        }
    }

    /**
     * Refuses what parses as JSON but no part of Drover can hold: numbers beyond a double's range (arithmetic and
     * printing on them take unbounded time and memory), NUL characters (PostgreSQL text cannot store them) and unpaired
     * surrogates (UTF-8 cannot encode them, so they would be stored as something else than was sent).
     */
    private static void checkValues(JsonNode value, String path) {
        if (value.isNumber()) {
            boolean inRange = value.isBigInteger() ? value.bigIntegerValue().abs().bitLength() < 1000
                    : !value.isBigDecimal() || Numbers.inRange(value.decimalValue());
            if (!inRange) {
                throw ApiException.badRequest("the number at " + where(path) + " is out of range: numbers must lie within "
                        + "±1e" + Numbers.MAX_EXPONENT + " (and be no finer than 1e-" + Numbers.MAX_EXPONENT + ")");
            }
        } else if (value.isTextual()) {
            checkText(value.textValue(), path, "the text at " + where(path));
        } else if (value.isArray()) {
            for (int index = 0; index < value.size(); index++) {
                checkValues(value.get(index), path + "[" + index + "]");
            }
        } else if (value.isObject()) {
            for (var field : value.properties()) {
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                checkText(field.getKey(), fieldPath, "the field name " + where(fieldPath));
                checkValues(field.getValue(), fieldPath);
            }
        }
    }

    private static void checkText(String text, String path, String what) {
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (character == '\u0000') {
                throw ApiException.badRequest(what + " contains a NUL character (\\u0000), which Drover cannot store; "
                        + "remove it");
            }
            if (Character.isSurrogate(character)) {
                boolean paired = Character.isHighSurrogate(character) && index + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(index + 1));
                if (!paired) {
                    throw ApiException.badRequest(what + " contains an unpaired surrogate (\\u"
                            + Integer.toHexString(character) + "), which is no character; send valid UTF-16 escapes");
                }
                index++;
            }
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "the top of the body" : Numbers.excerpt(path);
    }

    private static long parseLength(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    /** The body's bytes as sent, within the size limit. */
    static byte[] readBytes(Context context) {
        return readLimited(context);
    }

    private static byte[] readLimited(Context context) {
        try (InputStream input = context.req().getInputStream()) {
            var buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = input.read(chunk)) != -1) {
                buffer.write(chunk, 0, read);
                if (buffer.size() > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
            }
            return buffer.toByteArray();
        } catch (IOException unreadable) {
            throw ApiException.badRequest("the request body could not be read: " + unreadable.getMessage());
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(ApiException.Reason.REQUEST_ENTITY_TOO_LARGE,
                "the request body is larger than the limit of 3 MiB (" + MAX_BODY_BYTES + " bytes)");
    }
}
