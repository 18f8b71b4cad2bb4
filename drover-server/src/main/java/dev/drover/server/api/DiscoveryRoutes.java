package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Discovery documents ({@code /version}, {@code /api}, {@code /apis}, group and version) and OpenAPI. */
final class DiscoveryRoutes {

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
            "watch");

    private final String version;
    private final OpenApi openApi;

    DiscoveryRoutes(String version) {
        this.version = version;
        this.openApi = new OpenApi(version);
    }

    /**
     * The Kubernetes API level Drover serves, as kube-apiserver reports it: clients compare it with their own version
     * (kubectl warns beyond one minor version of skew) and some parse the major version. Drover's own version is the
     * build metadata of gitVersion.
     */
    static final String KUBERNETES_MAJOR = "1";
    static final String KUBERNETES_MINOR = "32";

    void version(Context context) {
        ObjectNode info = Json.MAPPER.createObjectNode();
        info.put("major", KUBERNETES_MAJOR);
        info.put("minor", KUBERNETES_MINOR);
        info.put("gitVersion", "v" + KUBERNETES_MAJOR + "." + KUBERNETES_MINOR + ".0+drover." + version);
        info.put("gitCommit", "");
        info.put("gitTreeState", "");
        info.put("buildDate", "");
        info.put("goVersion", "java" + Runtime.version().feature());
        info.put("compiler", "javac");
        info.put("platform", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
                + System.getProperty("os.arch"));
        ResourceRoutes.respondJson(context, 200, info);
    }

    void coreVersions(Context context) {
        Optional<String> aggregated = aggregatedVersion(context.header("Accept"));
        if (aggregated.isPresent()) {
            ObjectNode core = Json.MAPPER.createObjectNode();
            core.putObject("metadata").putNull("creationTimestamp");
            ObjectNode version = core.putArray("versions").addObject().put("version", "v1");
            ArrayNode coreResources = version.putArray("resources");
            ObjectNode namespaces = coreResources.addObject();
            namespaces.put("resource", "namespaces");
            namespaces.putObject("responseKind").put("group", "").put("version", "v1").put("kind", "Namespace");
            namespaces.put("scope", "Cluster");
            namespaces.put("singularResource", "namespace");
            namespaces.putArray("verbs").add("get").add("list").add("watch");
            namespaces.putArray("shortNames").add("ns");
            ObjectNode events = coreResources.addObject();
            events.put("resource", "events");
            events.putObject("responseKind").put("group", "").put("version", "v1").put("kind", "Event");
            events.put("scope", "Namespaced");
            events.put("singularResource", "event");
            events.putArray("verbs").add("get").add("list").add("watch");
            events.putArray("shortNames").add("ev");
            version.put("freshness", "Current");
            respondAggregated(context, aggregated.get(), core);
            return;
        }
        ObjectNode versions = Json.MAPPER.createObjectNode();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs");
        ResourceRoutes.respondJson(context, 200, versions);
    }

    void groups(Context context) {
        Optional<String> aggregated = aggregatedVersion(context.header("Accept"));
        if (aggregated.isPresent()) {
            ObjectNode group = Json.MAPPER.createObjectNode();
            group.putObject("metadata").put("name", Kinds.GROUP).putNull("creationTimestamp");
            ObjectNode version = group.putArray("versions").addObject().put("version", Kinds.VERSION);
            ArrayNode resources = version.putArray("resources");
            for (Kind kind : Kinds.ALL) {
                ObjectNode resource = resources.addObject();
                resource.put("resource", kind.plural());
                resource.set("responseKind", responseKind(kind));
                resource.put("scope", kind.namespaced() ? "Namespaced" : "Cluster");
                resource.put("singularResource", kind.singular());
                verbsNamesAndCategories(resource, kind);
                ObjectNode status = resource.putArray("subresources").addObject();
                status.put("subresource", "status");
                status.set("responseKind", responseKind(kind));
                status.putArray("verbs").add("get").add("patch").add("update");
            }
            version.put("freshness", "Current");
            respondAggregated(context, aggregated.get(), group);
            return;
        }
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        list.putArray("groups").add(group());
        ResourceRoutes.respondJson(context, 200, list);
    }

    void group(Context context) {
        ObjectNode group = group();
        group.put("kind", "APIGroup");
        group.put("apiVersion", "v1");
        ResourceRoutes.respondJson(context, 200, group);
    }

    void resources(Context context) {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", Kinds.GROUP + "/" + Kinds.VERSION);
        ArrayNode resources = list.putArray("resources");
        for (Kind kind : Kinds.ALL) {
            ObjectNode resource = resources.addObject();
            resource.put("name", kind.plural());
            resource.put("singularName", kind.singular());
            resource.put("namespaced", kind.namespaced());
            resource.put("kind", kind.kind());
            verbsNamesAndCategories(resource, kind);
            ObjectNode status = resources.addObject();
            status.put("name", kind.plural() + "/status");
            status.put("singularName", "");
            status.put("namespaced", kind.namespaced());
            status.put("kind", kind.kind());
            status.putArray("verbs").add("get").add("patch").add("update");
        }
        ResourceRoutes.respondJson(context, 200, list);
    }

    /**
     * The version of aggregated discovery ({@code apidiscovery.k8s.io}) the Accept header asks for before the plain
     * form, if any: kubectl then learns every resource in one request per root instead of one per group version.
     */
    static Optional<String> aggregatedVersion(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String range : accept.split(",")) {
            Map<String, String> parameters = new HashMap<>();
            String[] parts = range.trim().split(";");
            for (int index = 1; index < parts.length; index++) {
                String[] pair = parts[index].trim().split("=", 2);
                if (pair.length == 2) {
                    parameters.put(pair[0], pair[1]);
                }
            }
            if ("APIGroupDiscoveryList".equals(parameters.get("as")) && "apidiscovery.k8s.io".equals(parameters.get("g"))
                    && List.of("v2", "v2beta1").contains(parameters.get("v"))) {
                return Optional.of(parameters.get("v"));
            }
            if (parameters.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void respondAggregated(Context context, String version, ObjectNode group) {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", "apidiscovery.k8s.io/" + version);
        list.putObject("metadata");
        list.putArray("items").add(group);
        context.status(200);
        context.contentType("application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList");
        context.result(Json.write(list).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** What the legacy and the aggregated discovery say alike of a resource. */
    private static void verbsNamesAndCategories(ObjectNode resource, Kind kind) {
        ArrayNode verbs = resource.putArray("verbs");
        VERBS.forEach(verbs::add);
        ArrayNode shortNames = resource.putArray("shortNames");
        kind.shortNames().forEach(shortNames::add);
        resource.putArray("categories").add("drover");
    }

    private static ObjectNode responseKind(Kind kind) {
        return Json.MAPPER.createObjectNode().put("group", kind.group()).put("version", kind.version()).put("kind", kind.kind());
    }

    void openApiV2(Context context) {
        String accept = context.header("Accept");
        if (accept != null && accept.startsWith(OPENAPI_V2_PROTOBUF)) {
            // As kube-apiserver: the asked-for type has an '@' that is no valid media type, so the body goes as octets.
            context.status(200);
            context.contentType("application/octet-stream");
            context.result(openApi.v2Protobuf());
            return;
        }
        ResourceRoutes.respondJson(context, 200, openApi.v2());
    }

    /** What kubectl asks for: the gnostic protobuf of OpenAPI v2. */
    static final String OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    void openApiV3Index(Context context) {
        ResourceRoutes.respondJson(context, 200, openApi.v3Index());
    }

    void openApiV3(Context context) {
        String path = context.path();
        if (path.equals("/openapi/v3/api/v1")) {
            ResourceRoutes.respondJson(context, 200, openApi.v3Core());
            return;
        }
        if (!path.equals("/openapi/v3/apis/" + Kinds.GROUP + "/" + Kinds.VERSION)) {
            throw new ApiException(ApiException.Reason.NOT_FOUND, "no OpenAPI v3 document at " + path);
        }
        ResourceRoutes.respondJson(context, 200, openApi.v3GroupVersion());
    }

    private static ObjectNode group() {
        ObjectNode group = Json.MAPPER.createObjectNode();
        group.put("name", Kinds.GROUP);
        ObjectNode groupVersion = Json.MAPPER.createObjectNode()
                .put("groupVersion", Kinds.GROUP + "/" + Kinds.VERSION).put("version", Kinds.VERSION);
        group.putArray("versions").add(groupVersion);
        group.set("preferredVersion", groupVersion.deepCopy());
        return group;
    }
}
