package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.ResourceType;
import dev.drover.model.schema.Json;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.auth.Principal;
import dev.drover.server.event.EventLog;
import dev.drover.server.store.ListPage;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Core {@code v1} Events, read-only: list (in a namespace or all), get and watch, with the field selectors kubectl
 * uses ({@code kubectl describe} selects by {@code involvedObject.*}), and the table {@code kubectl get events} shows.
 * Team tokens see the Events of their own namespace, which hold those of their Clusters and their Team.
 */
final class EventRoutes {

    /** Events as errors name them. */
    static final ResourceType EVENTS = new ResourceType() {
        @Override
        public String group() {
            return "";
        }

        @Override
        public String kind() {
            return EventLog.KIND;
        }

        @Override
        public String plural() {
            return "events";
        }

        @Override
        public String resourceGroup() {
            return "events";
        }
    };

    private final ResourceStore store;
    private final Clock clock;
    private final WatchResponder watches;
    private final CoreView view = new CoreView(EventLog.KIND, (storedJson, resourceVersion) -> Json.parseObject(storedJson)) {
        @Override
        ObjectNode table(List<ObjectNode> objects, String resourceVersion, boolean includeColumns) {
            return eventTable(objects, resourceVersion, includeColumns);
        }
    };

    EventRoutes(ResourceStore store, Clock clock, WatchResponder watches) {
        this.store = store;
        this.clock = clock;
        this.watches = watches;
    }

    void list(Context context, Principal principal, Optional<String> namespace) {
        Optional<String> visible = visibleNamespace(principal, namespace);
        LabelSelector selector = fieldSelector(context.queryParam("fieldSelector"));
        Optional<String> scope = namespace.or(() -> visible);
        if (ResourceRoutes.isWatch(context)) {
            Predicate<ObjectKey> keys = key -> scope.map(key.namespace()::equals).orElse(true);
            watches.respond(context, EVENTS, scope, keys, selector, event -> keys.test(event.key()) && selector.matches(event.labels()),
                    view.watchView(context));
            return;
        }
        ListPage page = store.list(new ListQuery(EventLog.KIND, scope, key -> true, selector, 0, Optional.empty()));
        List<ObjectNode> events = new ArrayList<>();
        for (ListedObject listed : page.items()) {
            events.add(Json.parseObject(new String(listed.jsonBytes(), StandardCharsets.UTF_8)));
        }
        events.sort(java.util.Comparator.comparing((ObjectNode event) -> event.path("lastTimestamp").asText()));
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "EventList");
        list.put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
        ArrayNode items = list.putArray("items");
        events.forEach(items::add);
        view.respond(context, events, Long.toString(page.revision()), list);
    }

    void get(Context context, Principal principal) {
        String namespace = context.pathParam("namespace");
        visibleNamespace(principal, Optional.of(namespace));
        String name = context.pathParam("name");
        StoredObject event = store.get(new ObjectKey(EventLog.KIND, namespace, name)).orElseThrow(() -> ApiException.notFound(EVENTS, name));
        ObjectNode object = Json.parseObject(event.json());
        view.respond(context, List.of(object), Long.toString(event.resourceVersion()), object);
    }

    /**
     * The namespace a principal may read Events in: any for an admin, the Team's own for a team token.
     *
     * @throws ApiException Forbidden when a team token asks for another namespace
     */
    private static Optional<String> visibleNamespace(Principal principal, Optional<String> asked) {
        if (principal instanceof Principal.TeamMember member) {
            if (asked.isPresent() && !asked.get().equals(member.team())) {
                throw ApiException.forbidden("events is forbidden: team tokens may only read the events of their own "
                        + "namespace (\"" + member.team() + "\")");
            }
            return Optional.of(member.team());
        }
        return Optional.empty();
    }

    /** {@code involvedObject.name=web,type!=Normal} as a selector over the stored Events' selection labels. */
    static LabelSelector fieldSelector(String text) {
        if (text == null || text.isBlank()) {
            return LabelSelector.EVERYTHING;
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        for (String term : text.split(",")) {
            boolean negated = term.contains("!=");
            String[] parts = term.split(negated ? "!=" : "==?", 2);
            String field = parts[0].trim();
            if (parts.length != 2 || field.isEmpty()) {
                throw ApiException.badRequest("invalid field selector \"" + term + "\": use FIELD=VALUE or FIELD!=VALUE");
            }
            String key = switch (field) {
                case "metadata.name", "metadata.namespace" -> field;
                default -> {
                    if (!EventLog.SELECTABLE_FIELDS.contains(field)) {
                        throw ApiException.badRequest("field label not supported for events: \"" + field + "\" (supported: "
                                + String.join(", ", EventLog.SELECTABLE_FIELDS) + ", metadata.name, metadata.namespace)");
                    }
                    yield field;
                }
            };
            requirements.add(new LabelSelector.Requirement(key, negated ? LabelSelector.Operator.NOT_EQUALS
                    : LabelSelector.Operator.EQUALS, Set.of(parts[1].trim())));
        }
        return new LabelSelector(requirements);
    }

    /** The columns kube-apiserver's table of Events has: Last Seen, Type, Reason, Object, Message. */
    private ObjectNode eventTable(List<ObjectNode> events, String resourceVersion, boolean includeColumns) {
        ObjectNode table = Json.MAPPER.createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode columns = table.putArray("columnDefinitions");
        if (includeColumns) {
            for (String[] column : new String[][] {{"Last Seen", "When the event last happened."}, {"Type", "Normal or Warning."},
                    {"Reason", "Why, in CamelCase."}, {"Object", "The object it is about."}, {"Message", "What happened."}}) {
                columns.addObject().put("name", column[0]).put("type", "string").put("format", "").put("description", column[1])
                        .put("priority", 0);
            }
        }
        ArrayNode rows = table.putArray("rows");
        Instant now = clock.instant();
        for (ObjectNode event : events) {
            String last = event.path("lastTimestamp").asText("");
            String count = event.path("count").asLong(1) > 1 ? " (x" + event.path("count").asLong() + ")" : "";
            JsonNode involved = event.path("involvedObject");
            rows.addObject().set("cells", Json.MAPPER.createArrayNode()
                    .add((last.isEmpty() ? "<unknown>" : Tables.humanDuration(Duration.between(Instant.parse(last), now))) + count)
                    .add(event.path("type").asText()).add(event.path("reason").asText())
                    .add(involved.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "/" + involved.path("name").asText())
                    .add(event.path("message").asText()));
            ((ObjectNode) rows.get(rows.size() - 1)).set("object", Representation.partialMetadata(event));
        }
        return table;
    }
}
