package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds Kubernetes objects as ordered JSON trees: apiVersion, kind, metadata, then spec. */
final class Manifest {

    private Manifest() {
    }

    static ObjectNode namespaced(String apiVersion, String kind, String namespace, String name, Map<String, String> labels) {
        return object(apiVersion, kind, name, java.util.Optional.of(namespace), labels);
    }

    static ObjectNode clusterScoped(String apiVersion, String kind, String name, Map<String, String> labels) {
        return object(apiVersion, kind, name, java.util.Optional.empty(), labels);
    }

    private static ObjectNode object(String apiVersion, String kind, String name, java.util.Optional<String> namespace,
                                     Map<String, String> labels) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        namespace.ifPresent(value -> metadata.put("namespace", value));
        if (!labels.isEmpty()) {
            metadata.set("labels", stringMap(labels));
        }
        return object;
    }

    /** A string map with its keys sorted. */
    static ObjectNode stringMap(Map<String, String> values) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        new TreeMap<>(values).forEach(node::put);
        return node;
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** A Cluster API v1beta2 reference: API group, kind and name (the namespace is always the referrer's). */
    static ObjectNode reference(String apiGroup, String kind, String name) {
        ObjectNode reference = Json.MAPPER.createObjectNode();
        reference.put("apiGroup", apiGroup);
        reference.put("kind", kind);
        reference.put("name", name);
        return reference;
    }

    /** Binds the identity-provider groups to a ClusterRole: a RoleBinding or ClusterRoleBinding made by the caller. */
    static ObjectNode bindGroups(ObjectNode binding, String clusterRole, List<String> groups) {
        ArrayNode subjects = binding.putArray("subjects");
        for (String group : groups) {
            subjects.addObject().put("apiGroup", "rbac.authorization.k8s.io").put("kind", "Group").put("name", group);
        }
        ObjectNode role = binding.putObject("roleRef");
        role.put("apiGroup", "rbac.authorization.k8s.io").put("kind", "ClusterRole").put("name", clusterRole);
        return binding;
    }

    /** {@code [{name: n, value: v}, ...]}, the v1beta2 shape of kubelet and component arguments. */
    static ArrayNode arguments(Map<String, String> arguments) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        new TreeMap<>(arguments).forEach((name, value) -> array.addObject().put("name", name).put("value", value));
        return array;
    }
}
