package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A core {@code v1} resource that Drover serves from its own store without it being one of its kinds (Namespaces as
 * views of Teams, Events): its objects, its table, and the forms a get, list or watch asks for.
 */
abstract class CoreView {

    private final String kind;
    private final BiFunction<String, Long, ObjectNode> object;

    /** @param object the resource's object from a stored object's JSON and resourceVersion */
    CoreView(String kind, BiFunction<String, Long, ObjectNode> object) {
        this.kind = kind;
        this.object = object;
    }

    /** The table kubectl prints; the column definitions only when asked, as a watch sends them once. */
    abstract ObjectNode table(List<ObjectNode> objects, String resourceVersion, boolean includeColumns);

    ObjectNode object(String storedJson, long resourceVersion) {
        return object.apply(storedJson, resourceVersion);
    }

    /** Answers a get or list in the form the Accept header asks for. */
    void respond(Context context, List<ObjectNode> objects, String resourceVersion, ObjectNode json) {
        switch (Representation.of(context.header("Accept"))) {
            case TABLE -> ResourceRoutes.respondJson(context, 200, table(objects, resourceVersion, true));
            case PARTIAL_METADATA -> ResourceRoutes.respondJson(context, 200, Representation.partialMetadata(json));
            case YAML -> ResourceRoutes.respondYaml(context, json);
            case JSON -> ResourceRoutes.respondJson(context, 200, json);
        }
    }

    /** How a watch of the resource carries each object: as a table row when the client asked for tables. */
    WatchResponder.View watchView(Context context) {
        boolean table = Representation.of(context.header("Accept")) == Representation.TABLE;
        boolean[] columnsSent = {false};
        return new WatchResponder.View() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public String apiVersion() {
                return "v1";
            }

            @Override
            public String object(String storedJson, long resourceVersion) {
                ObjectNode converted = CoreView.this.object(storedJson, resourceVersion);
                JsonNode answer = table ? table(List.of(converted), Long.toString(resourceVersion), !columnsSent[0]) : converted;
                columnsSent[0] = true;
                return Json.write(answer);
            }
        };
    }
}
