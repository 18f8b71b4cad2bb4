package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ClusterFlavorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The team's share of a workload cluster: its namespaces, its groups bound to {@code admin} there and to
 * {@code view} cluster-wide, and the flavor's ResourceQuota and LimitRange defaults in every team namespace.
 */
final class TenancyRenderer {

    private static final String RBAC = "rbac.authorization.k8s.io/v1";

    private TenancyRenderer() {
    }

    /** The tenancy files by name within the tenancy directory. */
    static SortedMap<String, List<ObjectNode>> render(ClusterContext context) {
        ClusterFlavorSpec.Tenancy tenancy = context.flavor().tenancy()
                .orElse(new ClusterFlavorSpec.Tenancy(List.of(), Map.of(), Map.of(), Map.of()));
        List<String> namespaces = tenancy.namespaces().isEmpty() ? List.of(context.namespace())
                : tenancy.namespaces().stream().sorted().distinct().toList();
        Map<String, String> labels = context.labels();
        SortedMap<String, List<ObjectNode>> files = new TreeMap<>();
        files.put("namespaces.yaml", namespaces.stream()
                .map(namespace -> Manifest.clusterScoped("v1", "Namespace", namespace, labels)).toList());
        List<String> groups = context.team().groups().stream().sorted().distinct().toList();
        if (!groups.isEmpty()) {
            List<ObjectNode> bindings = new ArrayList<>();
            ObjectNode view = Manifest.clusterScoped(RBAC, "ClusterRoleBinding", "team-" + context.namespace() + "-view", labels);
            bindings.add(Manifest.bindGroups(view, "view", groups));
            for (String namespace : namespaces) {
                bindings.add(Manifest.bindGroups(Manifest.namespaced(RBAC, "RoleBinding", namespace, "team-" + context.namespace() + "-admin",
                        labels), "admin", groups));
            }
            files.put("rbac.yaml", bindings);
        }
        List<ObjectNode> limits = new ArrayList<>();
        for (String namespace : namespaces) {
            if (!tenancy.resourceQuota().isEmpty()) {
                ObjectNode quota = Manifest.namespaced("v1", "ResourceQuota", namespace, "team-quota", labels);
                quota.putObject("spec").set("hard", Manifest.stringMap(tenancy.resourceQuota()));
                limits.add(quota);
            }
            if (!tenancy.defaultRequests().isEmpty() || !tenancy.defaultLimits().isEmpty()) {
                ObjectNode range = Manifest.namespaced("v1", "LimitRange", namespace, "team-defaults", labels);
                ObjectNode limit = range.putObject("spec").putArray("limits").addObject();
                limit.put("type", "Container");
                if (!tenancy.defaultLimits().isEmpty()) {
                    limit.set("default", Manifest.stringMap(tenancy.defaultLimits()));
                }
                if (!tenancy.defaultRequests().isEmpty()) {
                    limit.set("defaultRequest", Manifest.stringMap(tenancy.defaultRequests()));
                }
                limits.add(range);
            }
        }
        if (!limits.isEmpty()) {
            files.put("quotas.yaml", limits);
        }
        return files;
    }
}
