package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.util.List;

/**
 * {@code vcluster}: a virtual cluster (cluster-api-provider-vcluster v0.2, {@code VCluster} v1alpha1) that is
 * both control plane and infrastructure of the Cluster; its Helm chart version comes from the flavor.
 */
final class VclusterRenderer {

    private static final String API_VERSION = ClusterApi.INFRASTRUCTURE_GROUP + "/v1alpha1";
    private static final String CHART_REPOSITORY = "https://charts.loft.sh";

    private VclusterRenderer() {
    }

    static ProviderManifests render(ClusterContext context) {
        String hostCluster = context.requiredSetting(FlavorSettings.HOST_CLUSTER);
        ObjectNode vcluster = Manifest.namespaced(API_VERSION, "VCluster", context.namespace(), context.name(), context.labels());
        vcluster.withObjectProperty("metadata").putObject("annotations").put(Kinds.LABEL_PREFIX + "host-cluster", hostCluster);
        ObjectNode release = vcluster.putObject("spec").putObject("helmRelease");
        release.putObject("chart").put("name", "vcluster").put("repo", CHART_REPOSITORY)
                .put("version", context.requiredSetting("chartVersion"));
        release.put("values", values(context));
        ObjectNode reference = Manifest.reference(ClusterApi.INFRASTRUCTURE_GROUP, "VCluster", context.name());
        ObjectNode cluster = ClusterApi.cluster(context, reference, reference.deepCopy(),
                context.text("podCidr").orElse("10.244.0.0/16"), context.text("serviceCidr").orElse("10.96.0.0/12"));
        return new ProviderManifests(cluster, List.of(), List.of(vcluster), List.of());
    }

    /** Chart values: the Kubernetes version and the virtual cluster's share of its host. */
    private static String values(ClusterContext context) {
        ObjectNode values = Json.MAPPER.createObjectNode();
        // The chart's shortcut for the API server's, controller manager's and scheduler's image tags (0.21 and later).
        ObjectNode controlPlane = values.putObject("controlPlane");
        controlPlane.putObject("distro").putObject("k8s").put("enabled", true).put("version", context.version());
        if (context.hibernated()) {
            // What `vcluster pause` does first: the virtual control plane's StatefulSet at zero; its data volume stays.
            controlPlane.putObject("statefulSet").putObject("highAvailability").put("replicas", 0);
        }
        ObjectNode quota = values.putObject("policies").putObject("resourceQuota").put("enabled", true).putObject("quota");
        context.variable(FlavorSettings.CPU_QUOTA).ifPresent(cpu -> quota.put("requests.cpu", cpu.asText()).put("limits.cpu", cpu.asText()));
        context.variable(FlavorSettings.MEMORY_QUOTA_GI).ifPresent(memory -> quota.put("requests.memory", memory.asText() + "Gi")
                .put("limits.memory", memory.asText() + "Gi"));
        return Yaml.write(values);
    }
}
