package dev.drover.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ApplicationStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST .../applications/{name}/promote}: gives the target environment the image the source environment runs, as
 * one update of the Application (so one fleet commit, through the target's scan gate like any image change). Refused
 * while the source environment is observed not to run that image healthy; a health Drover cannot see is a warning.
 * {@code force} skips the health check, never the scan gate.
 */
final class ApplicationPromotion {

    /** The request body: {@code {"from": ..., "to": ..., "force": false}}. */
    record Request(String from, String to, boolean force) {

        static Request of(JsonNode body) {
            List<FieldError> errors = new ArrayList<>();
            for (String field : List.of("from", "to")) {
                if (body.path(field).asText("").isBlank()) {
                    errors.add(FieldError.required(field, "name the environment, for example {\"from\":\"staging\","
                            + "\"to\":\"production\"}"));
                }
            }
            if (errors.isEmpty() && body.path("from").asText().equals(body.path("to").asText())) {
                errors.add(FieldError.invalid("to", body.path("to").asText(), "must differ from from"));
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(Kinds.APPLICATION, "", errors);
            }
            return new Request(body.path("from").asText(), body.path("to").asText(), body.path("force").asBoolean(false));
        }
    }

    private final ResourceStore store;
    private final ResourceWrites writes;

    ApplicationPromotion(ResourceStore store, ResourceWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    ResourceWriter.Result promote(WriteOrigin by, String team, String name, Request request, boolean dryRun, String manager) {
        StoredObject stored = store.get(new ObjectKey(Kinds.APPLICATION.kind(), team, name))
                .orElseThrow(() -> ApiException.notFound(Kinds.APPLICATION, name));
        ObjectNode object = Json.parseObject(stored.json());
        ApplicationSpec application = Json.bind(object.path("spec"), ApplicationSpec.class);
        int target = -1;
        for (int index = 0; index < application.environments().size(); index++) {
            if (application.environments().get(index).name().equals(request.to())) {
                target = index;
            }
        }
        List<String> environments = application.environments().stream().map(ApplicationSpec.Environment::name).toList();
        if (application.environment(request.from()).isEmpty() || target < 0) {
            String missing = application.environment(request.from()).isEmpty() ? request.from() : request.to();
            throw ApiException.invalid(Kinds.APPLICATION, name, List.of(FieldError.invalid(missing.equals(request.from())
                    ? "from" : "to", missing, "not one of the application's environments (" + String.join(", ", environments)
                    + "); add it to spec.environments first")));
        }
        String image = application.imageFor(request.from());
        List<String> warnings = new ArrayList<>();
        if (request.force()) {
            warnings.add("promoted with force: the health of " + request.from() + " was not checked");
        } else {
            check(name, request, image, object.path("status"), warnings);
        }
        if (application.imageFor(request.to()).equals(image)) {
            warnings.add(request.to() + " already runs " + image + "; nothing changed");
            return new ResourceWriter.Result(stored.json(), warnings);
        }
        ObjectNode updated = object.deepCopy();
        ((ObjectNode) updated.withObjectProperty("spec").withArrayProperty("environments").get(target)).put("image", image);
        updated.withObjectProperty("metadata").put("resourceVersion", Long.toString(stored.resourceVersion()));
        updated.remove("status");
        ResourceWrites.Outcome outcome = writes.update(Kinds.APPLICATION, team, name, updated, false, dryRun, true,
                new Ownership.Update(manager), by);
        return new ResourceWriter.Result(outcome.json(), warnings);
    }

    /** @throws ApiException Conflict when the source environment is known not to run the image healthy */
    private static void check(String name, Request request, String image, JsonNode status, List<String> warnings) {
        Optional<ApplicationStatus.EnvironmentState> source = Optional.empty();
        for (JsonNode entry : status.path("environments")) {
            if (entry.path("name").asText().equals(request.from())) {
                source = Optional.of(Json.bind(entry, ApplicationStatus.EnvironmentState.class));
            }
        }
        if (source.isEmpty() || !source.get().image().equals(image)) {
            throw ApiException.conflict(Kinds.APPLICATION, name, "cannot promote " + image + " from " + request.from()
                    + " to " + request.to() + ": the status does not show " + request.from() + " at that image yet; wait for "
                    + "the application controller, or promote with force (drover app promote --force)");
        }
        String healthy = source.get().healthy().orElse("Unknown");
        String why = source.get().message().orElse("");
        if (healthy.equals("False")) {
            throw ApiException.conflict(Kinds.APPLICATION, name, "cannot promote " + image + " from " + request.from() + " to "
                    + request.to() + ": " + request.from() + " is not healthy at that image: " + why + "; wait for it, or "
                    + "promote with force (drover app promote --force)");
        }
        if (!healthy.equals("True")) {
            warnings.add("the health of " + request.from() + " at " + image + " is unknown (" + why + "); promoted anyway");
        }
    }
}
