package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A core {@code v1} resource that Drover serves from its own store without it being one of its kinds (Namespaces as
 * views of Teams, Events): its objects, its table, and the forms a get, list or watch asks for.
 */
final class CoreView {

    /** One column of the table kubectl prints: its definition and the cell of each object. */
    record Column(String name, String format, String description, Function<ObjectNode, String> cell) {
    }

    private final String kind;
    private final BiFunction<String, Long, ObjectNode> object;
    private final List<Column> columns;

    /** @param object the resource's object from a stored object's JSON and resourceVersion */
    CoreView(String kind, BiFunction<String, Long, ObjectNode> object, List<Column> columns) {
        this.kind = kind;
        this.object = object;
        this.columns = List.copyOf(columns);
    }

    /** The age of a timestamp as kubectl prints it, {@code <unknown>} without one. */
    static String age(String timestamp, Clock clock) {
        return timestamp.isEmpty() ? "<unknown>" : Tables.humanDuration(Duration.between(Instant.parse(timestamp), clock.instant()));
    }

    /** The table kubectl prints; the column definitions only when asked, as a watch sends them once. */
    ObjectNode table(List<ObjectNode> objects, String resourceVersion, boolean includeColumns) {
        ObjectNode table = Json.MAPPER.createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode definitions = table.putArray("columnDefinitions");
        if (includeColumns) {
            columns.forEach(column -> definitions.addObject().put("name", column.name()).put("type", "string")
                    .put("format", column.format()).put("description", column.description()).put("priority", 0));
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode each : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            columns.forEach(column -> cells.add(column.cell().apply(each)));
            row.set("object", Representation.partialMetadata(each));
        }
        return table;
    }

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
