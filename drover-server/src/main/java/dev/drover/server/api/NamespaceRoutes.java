package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.auth.Authorizer;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A read-only {@code v1} Namespace for each Team, so that clients which look up a namespace (kubectl does after
 * a 404, and {@code kubectl get namespaces} lists the teams) see the teams as namespaces.
 */
final class NamespaceRoutes {

    private final ResourceStore store;
    private final Authorizer authorizer;
    private final WatchResponder watches;
    private final CoreView view;

    NamespaceRoutes(ResourceStore store, Authorizer authorizer, Clock clock, WatchResponder watches) {
        this.store = store;
        this.authorizer = authorizer;
        this.watches = watches;
        // The STATUS column kubectl shows for namespaces.
        this.view = new CoreView("Namespace", (storedJson, resourceVersion) ->
                namespace(Json.parseObject(storedJson).path("metadata").path("name").asText(), resourceVersion, storedJson), List.of(
                new CoreView.Column("Name", "name", "Team.", namespace -> namespace.path("metadata").path("name").asText()),
                new CoreView.Column("Status", "", "Active, or Terminating while the Team is being deleted.",
                        namespace -> namespace.path("status").path("phase").asText()),
                new CoreView.Column("Age", "", "Age.", namespace ->
                        CoreView.age(namespace.path("metadata").path("creationTimestamp").asText(""), clock))));
    }

    /** Namespaces are views of Teams: every write is refused with what to do instead. */
    void refuseWrite(Context context) {
        throw new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, "namespaces are read-only views of Drover's Teams: "
                + context.method() + " a Team instead (kubectl create/edit/delete team NAME)");
    }

    void resources(Context context) {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIResourceList");
        list.put("groupVersion", "v1");
        ArrayNode resources = list.putArray("resources");
        ObjectNode namespaces = resources.addObject();
        namespaces.put("name", "namespaces");
        namespaces.put("singularName", "namespace");
        namespaces.put("namespaced", false);
        namespaces.put("kind", "Namespace");
        namespaces.putArray("verbs").add("get").add("list").add("watch");
        namespaces.putArray("shortNames").add("ns");
        ObjectNode events = resources.addObject();
        events.put("name", "events");
        events.put("singularName", "event");
        events.put("namespaced", true);
        events.put("kind", "Event");
        events.putArray("verbs").add("get").add("list").add("watch");
        events.putArray("shortNames").add("ev");
        ResourceRoutes.respondJson(context, 200, list);
    }

    void get(Context context, Principal principal) {
        String name = context.pathParam("name");
        authorizer.check(principal, new Authorizer.Request("get", Kinds.TEAM, Optional.empty(), Optional.of(name)));
        StoredObject team = store.get(new ObjectKey(Kinds.TEAM.kind(), "", name)).orElseThrow(() ->
                new ApiException(ApiException.Reason.NOT_FOUND, "namespaces \"" + name + "\" not found: there is no Team \""
                        + name + "\"", new ApiException.Details("", "namespaces", name), List.of()));
        ObjectNode namespace = namespace(team.name(), team.resourceVersion(), team.json());
        view.respond(context, List.of(namespace), Long.toString(team.resourceVersion()), namespace);
    }

    void list(Context context, Principal principal) {
        if (ResourceRoutes.isWatch(context)) {
            watch(context, principal);
            return;
        }
        Predicate<ObjectKey> visible = visibleTeams(principal);
        var page = store.list(new ListQuery(Kinds.TEAM.kind(), Optional.empty(), visible, LabelSelector.EVERYTHING, 0,
                Optional.empty()));
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "NamespaceList");
        list.put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
        ArrayNode items = list.putArray("items");
        page.items().forEach(team -> items.add(namespace(team.name(), team.resourceVersion(), team.json())));
        List<ObjectNode> namespaces = new ArrayList<>();
        items.forEach(item -> namespaces.add((ObjectNode) item));
        view.respond(context, namespaces, Long.toString(page.revision()), list);
    }

    /** The Teams' changes as Namespace events, so that {@code kubectl get namespaces -w} works. */
    private void watch(Context context, Principal principal) {
        Predicate<ObjectKey> keys = visibleTeams(principal);
        watches.respond(context, principal, Kinds.TEAM, Optional.empty(), keys, LabelSelector.EVERYTHING, team -> keys.test(team.key()),
                view.watchView(context));
    }

    private Predicate<ObjectKey> visibleTeams(Principal principal) {
        Optional<java.util.Set<String>> onlyTeams = authorizer.onlyTeamsVisibleTo(principal, Kinds.TEAM);
        return team -> onlyTeams.map(teams -> teams.contains(team.name())).orElse(true);
    }

    private static ObjectNode namespace(String name, long resourceVersion, String teamJson) {
        ObjectNode teamObject = Json.parseObject(teamJson);
        ObjectNode namespace = Json.MAPPER.createObjectNode();
        namespace.put("kind", "Namespace");
        namespace.put("apiVersion", "v1");
        ObjectNode metadata = namespace.putObject("metadata");
        metadata.put("name", name);
        metadata.set("uid", teamObject.path("metadata").path("uid"));
        metadata.put("resourceVersion", Long.toString(resourceVersion));
        metadata.set("creationTimestamp", teamObject.path("metadata").path("creationTimestamp"));
        metadata.putObject("labels").put("kubernetes.io/metadata.name", name).put(Kinds.LABEL_PREFIX + "team", name);
        namespace.putObject("status").put("phase",
                teamObject.path("metadata").has("deletionTimestamp") ? "Terminating" : "Active");
        return namespace;
    }
}
