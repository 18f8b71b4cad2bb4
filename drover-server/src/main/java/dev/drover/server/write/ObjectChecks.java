package dev.drover.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Names;
import dev.drover.model.schema.StructuralValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks a request body against its kind before any stored state is consulted. */
final class ObjectChecks {

    private ObjectChecks() {
    }

    /**
     * Checks type, structure and metadata of a whole object; removes unknown fields.
     *
     * @param warnings receives a warning per unknown field under {@link FieldValidation#WARN}
     */
    static ObjectNode check(Kind kind, JsonNode body, FieldValidation validation, List<String> warnings) {
        return check(kind, body, validation, warnings, false);
    }

    /**
     * Checks the configuration of a server-side apply: like a whole object, except that it names only the fields its
     * manager sets, so required fields may be missing (the merged object is checked whole); it must say what it is
     * and cannot carry managed fields.
     */
    static ObjectNode checkConfiguration(Kind kind, JsonNode body, String name, FieldValidation validation,
                                         List<String> warnings) {
        if (body instanceof ObjectNode object) {
            if (object.path("apiVersion").asText("").isEmpty() || object.path("kind").asText("").isEmpty()) {
                throw ApiException.badRequest("an applied configuration must say what it is: set apiVersion: "
                        + kind.apiVersion() + " and kind: " + kind.kind());
            }
            JsonNode metadata = object.path("metadata");
            String bodyName = metadata.path("name").asText("");
            if (!bodyName.isEmpty() && !bodyName.equals(name)) {
                throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
                        + name + ")");
            }
            if (metadata.has("managedFields") && !metadata.get("managedFields").isNull()) {
                throw ApiException.badRequest("metadata.managedFields must be nil in an applied configuration: the server "
                        + "records which fields the manager applies");
            }
        }
        return check(kind, body, validation, warnings, true);
    }

    private static ObjectNode check(Kind kind, JsonNode body, FieldValidation validation, List<String> warnings,
                                    boolean partial) {
        if (!(body instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be a JSON object (a " + kind.kind() + "), not "
                    + body.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String apiVersion = object.path("apiVersion").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(kind.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + kind.apiVersion() + ")");
        }
        String kindName = object.path("kind").asText("");
        if (!kindName.isEmpty() && !kindName.equals(kind.kind())) {
            throw ApiException.badRequest("the kind in the data (" + kindName + ") does not match the expected kind ("
                    + kind.kind() + ")");
        }
        JsonNode metadata = object.path("metadata");
        if (!metadata.isObject() && !metadata.isMissingNode() && !metadata.isNull()) {
            throw ApiException.badRequest(kind.kind() + " in version \"" + kind.version() + "\" cannot be handled as a "
                    + kind.kind() + ": metadata must be an object (name, namespace, labels, annotations), not "
                    + metadata.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (metadata.isNull()) {
            object.remove("metadata");
        }
        object.put("apiVersion", kind.apiVersion());
        object.put("kind", kind.kind());
        StructuralValidator.Result result = StructuralValidator.check(object, kind.objectSchema(), "");
        List<String> unknown = result.unknownFields().stream().map(path -> path.substring(1)).toList();
        if (!unknown.isEmpty()) {
            switch (validation) {
                case STRICT -> throw ApiException.badRequest(kind.kind() + " in version \"" + kind.version()
                        + "\" cannot be handled as a " + kind.kind() + ": strict decoding error: "
                        + String.join(", ", unknown.stream().map(path -> "unknown field \"" + path + "\"").toList()));
                case WARN -> unknown.forEach(path -> warnings.add("unknown field \"" + path + "\""));
                case IGNORE -> {
                }
            }
        }
        List<FieldError> errors = new ArrayList<>();
        for (FieldError error : result.errors()) {
            if (!partial || !error.type().equals("FieldValueRequired")) {
                errors.add(new FieldError(error.type(), error.field().substring(1), error.message().replace(" .", " ")));
            }
        }
        if (!partial && !object.path("spec").isObject()) {
            errors.add(FieldError.required("spec", "every " + kind.kind() + " needs a spec; see `kubectl explain "
                    + kind.singular() + ".spec`"));
        }
        checkMetadata(object.withObjectProperty("metadata"), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(kind, object.path("metadata").path("name").asText(""), errors);
        }
        return object;
    }

    /** Checks a name given on create or in a path: DNS-1123 label or subdomain, as the kind requires. */
    static Optional<FieldError> checkName(Kind kind, String name) {
        Optional<String> problem = kind.nameIsLabel() ? Names.checkLabel(name) : Names.checkSubdomain(name);
        return problem.map(why -> FieldError.invalid("metadata.name", name, why));
    }

    private static void checkMetadata(JsonNode metadata, List<FieldError> errors) {
        for (Map.Entry<String, JsonNode> label : metadata.path("labels").properties()) {
            Names.checkLabelKey(label.getKey()).ifPresent(why ->
                    errors.add(FieldError.invalid("metadata.labels", label.getKey(), why)));
            Names.checkLabelValue(label.getValue().asText()).ifPresent(why ->
                    errors.add(FieldError.invalid("metadata.labels", label.getValue().asText(), why)));
        }
        for (Map.Entry<String, JsonNode> annotation : metadata.path("annotations").properties()) {
            Names.checkLabelKey(annotation.getKey()).ifPresent(why ->
                    errors.add(FieldError.invalid("metadata.annotations", annotation.getKey(), why)));
        }
        JsonNode finalizers = metadata.path("finalizers");
        for (int index = 0; index < finalizers.size(); index++) {
            String finalizer = finalizers.get(index).asText();
            if (finalizer.isEmpty() || Names.checkLabelKey(finalizer).isPresent()) {
                errors.add(FieldError.invalid("metadata.finalizers[" + index + "]", finalizer,
                        "must be a qualified name such as platform.drover.dev/git"));
            }
        }
    }
}
