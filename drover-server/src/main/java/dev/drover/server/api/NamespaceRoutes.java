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
import java.util.List;
import java.util.Optional;

/**
 * A read-only {@code v1} Namespace for each Team, so that clients which look up a namespace (kubectl does after
 * a 404, and {@code kubectl get namespaces} lists the teams) see the teams as namespaces.
 */
final class NamespaceRoutes {

    private final ResourceStore store;
    private final Authorizer authorizer;

    NamespaceRoutes(ResourceStore store, Authorizer authorizer) {
        this.store = store;
        this.authorizer = authorizer;
    }

    void resources(Context context) {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIResourceList");
        list.put("groupVersion", "v1");
        ObjectNode namespaces = list.putArray("resources").addObject();
        namespaces.put("name", "namespaces");
        namespaces.put("singularName", "namespace");
        namespaces.put("namespaced", false);
        namespaces.put("kind", "Namespace");
        namespaces.putArray("verbs").add("get").add("list");
        namespaces.putArray("shortNames").add("ns");
        ResourceRoutes.respondJson(context, 200, list);
    }

    void get(Context context, Principal principal) {
        String name = context.pathParam("name");
        authorizer.check(principal, new Authorizer.Request("get", Kinds.TEAM, Optional.empty(), Optional.of(name)));
        StoredObject team = store.get(new ObjectKey(Kinds.TEAM.kind(), "", name)).orElseThrow(() ->
                new ApiException(ApiException.Reason.NOT_FOUND, "namespaces \"" + name + "\" not found: there is no Team \""
                        + name + "\"", new ApiException.Details("", "namespaces", name), List.of()));
        ResourceRoutes.respondJson(context, 200, namespace(team.name(), team.resourceVersion(), team.json()));
    }

    void list(Context context, Principal principal) {
        Optional<String> onlyTeam = authorizer.onlyTeamVisibleTo(principal, Kinds.TEAM);
        var page = store.list(new ListQuery(Kinds.TEAM.kind(), Optional.empty(),
                team -> onlyTeam.map(team.name()::equals).orElse(true), LabelSelector.EVERYTHING, 0, Optional.empty()));
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "NamespaceList");
        list.put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
        ArrayNode items = list.putArray("items");
        page.items().forEach(team -> items.add(namespace(team.name(), team.resourceVersion(), team.json())));
        ResourceRoutes.respondJson(context, 200, list);
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
