package dev.drover.server.api;

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
    private final WatchResponder watches;
    private final CoreView view;

    EventRoutes(ResourceStore store, Clock clock, WatchResponder watches) {
        this.store = store;
        this.watches = watches;
        // The columns kube-apiserver's table of Events has.
        this.view = new CoreView(EventLog.KIND, (storedJson, resourceVersion) -> Json.parseObject(storedJson), List.of(
                new CoreView.Column("Last Seen", "", "When the event last happened.", event ->
                        CoreView.age(event.path("lastTimestamp").asText(""), clock)
                                + (event.path("count").asLong(1) > 1 ? " (x" + event.path("count").asLong() + ")" : "")),
                new CoreView.Column("Type", "", "Normal or Warning.", event -> event.path("type").asText()),
                new CoreView.Column("Reason", "", "Why, in CamelCase.", event -> event.path("reason").asText()),
                new CoreView.Column("Object", "", "The object it is about.", event ->
                        event.path("involvedObject").path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "/"
                                + event.path("involvedObject").path("name").asText()),
                new CoreView.Column("Message", "", "What happened.", event -> event.path("message").asText())));
    }

    void list(Context context, Principal principal, Optional<String> namespace) {
        Optional<java.util.Set<String>> visible = visibleNamespaces(principal, namespace);
        LabelSelector selector = fieldSelector(context.queryParam("fieldSelector"));
        Optional<String> scope = namespace.or(() -> visible.filter(teams -> teams.size() == 1).map(teams -> teams.iterator().next()));
        Predicate<ObjectKey> keys = key -> scope.map(key.namespace()::equals).orElse(true)
                && visible.map(teams -> teams.contains(key.namespace())).orElse(true);
        if (ResourceRoutes.isWatch(context)) {
            watches.respond(context, principal, EVENTS, scope, keys, selector, event -> keys.test(event.key()) && selector.matches(event.labels()),
                    view.watchView(context));
            return;
        }
        ListPage page = store.list(new ListQuery(EventLog.KIND, scope, keys, selector, 0, Optional.empty()));
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
        visibleNamespaces(principal, Optional.of(namespace));
        String name = context.pathParam("name");
        StoredObject event = store.get(new ObjectKey(EventLog.KIND, namespace, name)).orElseThrow(() -> ApiException.notFound(EVENTS, name));
        ObjectNode object = Json.parseObject(event.json());
        view.respond(context, List.of(object), Long.toString(event.resourceVersion()), object);
    }

    /**
     * The namespaces a principal may read Events in: any for an admin (empty), its teams' for a team member.
     *
     * @throws ApiException Forbidden when a team token asks for another namespace
     */
    private static Optional<java.util.Set<String>> visibleNamespaces(Principal principal, Optional<String> asked) {
        if (principal instanceof Principal.TeamMember member) {
            if (asked.isPresent() && !member.actsFor(asked.get())) {
                throw ApiException.forbidden("events is forbidden: team tokens may only read the events of their own "
                        + "namespace (" + member.teamNames() + ")");
            }
            return Optional.of(member.teams());
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
}
