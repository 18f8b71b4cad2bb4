package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.PrinterColumn;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code meta.k8s.io/v1} Table responses, so {@code kubectl get} prints each kind's own columns. */
final class Tables {

    private Tables() {
    }

    /** What each row carries besides its cells, as the {@code includeObject} parameter says. */
    enum RowObject {
        NONE, METADATA, OBJECT;

        static RowObject parse(String text) {
            if (text == null || text.isEmpty() || text.equals("Metadata")) {
                return METADATA;
            }
            return switch (text) {
                case "None" -> NONE;
                case "Object" -> OBJECT;
                default -> throw ApiException.badRequest("includeObject \"" + text + "\" is not supported (allowed: None, Metadata, Object)");
            };
        }
    }

    static ObjectNode table(Kind kind, List<ObjectNode> objects, String resourceVersion, String continueToken,
                            RowObject rowObject, boolean includeColumns, Instant now) {
        ObjectNode table = Json.MAPPER.createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        metadata.put("resourceVersion", resourceVersion);
        if (!continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        if (includeColumns) {
            columns.addObject().put("name", "Name").put("type", "string").put("format", "name")
                    .put("description", "Name of the object.").put("priority", 0);
            for (PrinterColumn column : kind.columns()) {
                columns.addObject().put("name", column.name()).put("type", column.type()).put("format", "")
                        .put("description", column.description()).put("priority", column.priority());
            }
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(object.path("metadata").path("name").asText());
            for (PrinterColumn column : kind.columns()) {
                cells.add(cell(column, object, now));
            }
            switch (rowObject) {
                case OBJECT -> row.set("object", object);
                case METADATA -> row.set("object", Representation.partialMetadata(object));
                case NONE -> {
                }
            }
        }
        return table;
    }

    private static String cell(PrinterColumn column, ObjectNode object, Instant now) {
        List<String> values = new ArrayList<>();
        collect(object, column.pointer().substring(1).split("/"), 0, values);
        if (values.isEmpty()) {
            return column.fallback();
        }
        if (column.type().equals("date")) {
            try {
                Instant date = Instant.parse(values.getFirst());
                return humanDuration(column.timeLeft() ? Duration.between(now, date) : Duration.between(date, now));
            } catch (DateTimeParseException unparsable) {
                return "<invalid>";
            }
        }
        // Distinct, because a wildcard over nested lists (a PriceBook's providers per group) repeats values.
        return String.join(",", new java.util.LinkedHashSet<>(values));
    }

    private static void collect(JsonNode node, String[] tokens, int position, List<String> values) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (position == tokens.length) {
            if (node.isArray()) {
                node.forEach(element -> values.add(element.asText()));
            } else if (!node.isContainerNode()) {
                values.add(node.asText());
            }
            return;
        }
        String token = tokens[position].replace("~1", "/").replace("~0", "~");
        if (token.equals("*")) {
            node.forEach(element -> collect(element, tokens, position + 1, values));
            return;
        }
        collect(node.get(token), tokens, position + 1, values);
    }

    /** The short age format of kubectl: 45s, 5m10s, 3h, 2d4h, 1y30d. */
    static String humanDuration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        long days = hours / 24;
        return String.format(Locale.ROOT, "%dy%dd", days / 365, days % 365);
    }
}
