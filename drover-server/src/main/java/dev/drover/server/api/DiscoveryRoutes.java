package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import io.javalin.http.Context;
import java.util.List;

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
        ObjectNode versions = Json.MAPPER.createObjectNode();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs");
        ResourceRoutes.respondJson(context, 200, versions);
    }

    void groups(Context context) {
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
            ArrayNode verbs = resource.putArray("verbs");
            VERBS.forEach(verbs::add);
            ArrayNode shortNames = resource.putArray("shortNames");
            kind.shortNames().forEach(shortNames::add);
            resource.putArray("categories").add("drover");
            ObjectNode status = resources.addObject();
            status.put("name", kind.plural() + "/status");
            status.put("singularName", "");
            status.put("namespaced", kind.namespaced());
            status.put("kind", kind.kind());
            status.putArray("verbs").add("get").add("patch").add("update");
        }
        ResourceRoutes.respondJson(context, 200, list);
    }

    void openApiV2(Context context) {
        String accept = context.header("Accept");
        if (accept != null && accept.contains("protobuf") && !accept.contains("json") && !accept.contains("*/*")) {
            throw new ApiException(ApiException.Reason.NOT_ACCEPTABLE,
                    "OpenAPI v2 is served as JSON only (Accept: application/json); OpenAPI v3 is at /openapi/v3");
        }
        ResourceRoutes.respondJson(context, 200, openApi.v2());
    }

    void openApiV3Index(Context context) {
        ResourceRoutes.respondJson(context, 200, openApi.v3Index());
    }

    void openApiV3(Context context) {
        String path = context.path();
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
