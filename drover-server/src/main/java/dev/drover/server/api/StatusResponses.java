package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;

/** The one place where errors become Kubernetes {@code Status} objects. */
final class StatusResponses {

    private StatusResponses() {
    }

    static ObjectNode failure(ApiException error) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", error.getMessage());
        status.put("reason", error.reason().wireName());
        ApiException.Details details = error.details();
        if (!details.name().isEmpty() || !details.kind().isEmpty() || !error.causes().isEmpty()) {
            ObjectNode detailsNode = status.putObject("details");
            if (!details.name().isEmpty()) {
                detailsNode.put("name", details.name());
            }
            if (!details.group().isEmpty()) {
                detailsNode.put("group", details.group());
            }
            if (!details.kind().isEmpty()) {
                detailsNode.put("kind", details.kind());
            }
            if (!error.causes().isEmpty()) {
                ArrayNode causes = detailsNode.putArray("causes");
                for (FieldError cause : error.causes()) {
                    causes.addObject().put("reason", cause.type()).put("message", cause.message()).put("field", cause.field());
                }
            }
        }
        status.put("code", error.reason().code());
        return status;
    }
}
