package dev.drover.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A cluster's settings as the renderers read them: the flavor's provider settings, else the cluster's variables with
 * the flavor's defaults. Public because cost estimates size a self-managed control plane the same way.
 */
public final class FlavorSettings {

    /** The host cluster of a virtual cluster, and its team (defaulting to the virtual cluster's). */
    public static final String HOST_CLUSTER = "hostCluster";
    public static final String HOST_CLUSTER_NAMESPACE = "hostClusterNamespace";
    /** A virtual cluster's quota on its host: CPU cores and GiB of memory. */
    public static final String CPU_QUOTA = "cpuQuota";
    public static final String MEMORY_QUOTA_GI = "memoryQuotaGi";
    static final String CONTROL_PLANE_INSTANCE_TYPE = "controlPlaneInstanceType";
    public static final String CONTROL_PLANE_REPLICAS = "controlPlaneReplicas";
    private static final String DEFAULT_CONTROL_PLANE_REPLICAS = "3";
    public static final String DISK_GIB = "diskGiB";
    private static final int DEFAULT_DISK_GIB = 40;
    public static final int MAX_DISK_GIB = 65_536;

    private FlavorSettings() {
    }

    /** The value of a flavor variable: the cluster's, else the flavor's default for the environment. */
    public static Optional<JsonNode> variable(ClusterFlavorSpec flavor, ClusterSpec spec, String name) {
        return Optional.ofNullable(spec.variables().get(name))
                .or(() -> flavor.variables().stream().filter(variable -> variable.name().equals(name)).findFirst()
                        .flatMap(variable -> variable.defaultFor(spec.environment())));
    }

    public static Optional<String> text(ClusterFlavorSpec flavor, ClusterSpec spec, String variable) {
        return variable(flavor, spec, variable).map(JsonNode::asText).filter(value -> !value.isEmpty());
    }

    /** A flavor provider setting, else a variable of the same name. */
    public static Optional<String> setting(ClusterFlavorSpec flavor, ClusterSpec spec, String name) {
        return Optional.ofNullable(flavor.providerSettings().get(name)).filter(value -> !value.isEmpty())
                .or(() -> text(flavor, spec, name));
    }

    /** The machine type of a kubeadm control plane: the controlPlaneInstanceType setting, else the flavor's first instance type. */
    public static Optional<String> controlPlaneInstanceType(ClusterFlavorSpec flavor, ClusterSpec spec) {
        return setting(flavor, spec, CONTROL_PLANE_INSTANCE_TYPE).or(() -> flavor.instanceTypes().stream().findFirst());
    }

    /** The number of kubeadm control-plane machines; empty when the setting is not an odd positive number. */
    public static OptionalInt controlPlaneReplicas(ClusterFlavorSpec flavor, ClusterSpec spec) {
        return controlPlaneReplicas(controlPlaneReplicasSetting(flavor, spec));
    }

    /** A controlPlaneReplicas setting's value; empty when it is not an odd positive number. */
    public static OptionalInt controlPlaneReplicas(String setting) {
        try {
            int count = Integer.parseInt(setting.strip());
            return count >= 1 && count % 2 == 1 ? OptionalInt.of(count) : OptionalInt.empty();
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    /** A vSphere machine's disk in GiB, 40 unless set; empty when the setting is no whole number from 1 to the maximum. */
    public static OptionalInt diskGiB(ClusterFlavorSpec flavor, ClusterSpec spec) {
        return diskGiB(setting(flavor, spec, DISK_GIB).orElse(Integer.toString(DEFAULT_DISK_GIB)));
    }

    /** A diskGiB setting's value; empty when it is no whole number from 1 to the maximum. */
    public static OptionalInt diskGiB(String setting) {
        try {
            int gib = Integer.parseInt(setting.strip());
            return gib >= 1 && gib <= MAX_DISK_GIB ? OptionalInt.of(gib) : OptionalInt.empty();
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    public static String controlPlaneReplicasSetting(ClusterFlavorSpec flavor, ClusterSpec spec) {
        return setting(flavor, spec, CONTROL_PLANE_REPLICAS).orElse(DEFAULT_CONTROL_PLANE_REPLICAS);
    }
}
