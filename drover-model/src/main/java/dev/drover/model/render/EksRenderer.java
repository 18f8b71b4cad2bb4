package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code aws-eks}: a managed EKS control plane (CAPA) with one EKS managed node group per node pool. */
final class EksRenderer {

    private EksRenderer() {
    }

    static ProviderManifests render(ClusterContext context) {
        ObjectNode controlPlane = controlPlane(context);
        ObjectNode infrastructure = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "AWSManagedCluster",
                context.namespace(), context.name(), context.labels());
        infrastructure.putObject("spec");
        ObjectNode cluster = ClusterApi.cluster(context,
                Manifest.reference(ClusterApi.CONTROL_PLANE_GROUP, "AWSManagedControlPlane", ClusterApi.nameOf(controlPlane)),
                Manifest.reference(ClusterApi.INFRASTRUCTURE_GROUP, "AWSManagedCluster", context.name()));
        List<ObjectNode> workers = new ArrayList<>();
        for (NodePool pool : context.spec().nodePools()) {
            workers.add(machinePool(context, pool));
            workers.add(managedMachinePool(context, pool));
        }
        return new ProviderManifests(cluster, List.of(infrastructure), List.of(controlPlane), workers);
    }

    private static ObjectNode controlPlane(ClusterContext context) {
        ObjectNode controlPlane = Manifest.namespaced(ClusterApi.CONTROL_PLANE_API_VERSION, "AWSManagedControlPlane",
                context.namespace(), ClusterApi.controlPlaneName(context), context.labels());
        ObjectNode spec = controlPlane.putObject("spec");
        spec.put("eksClusterName", context.providerClusterName());
        spec.put("region", context.region());
        spec.put("version", context.version());
        spec.set("identityRef", Aws.identityRef(context));
        spec.set("additionalTags", Aws.tags(context));
        context.text("vpcCidr").ifPresent(cidr -> spec.putObject("network").putObject("vpc").put("cidrBlock", cidr));
        spec.set("endpointAccess", endpointAccess(context));
        // IAM roles for service accounts: the add-ons that call AWS (EBS CSI, load balancer controller, external-dns,
        // Karpenter) assume their roles through the cluster's OIDC provider, which CAPA creates only when asked.
        spec.put("associateOIDCProvider", true);
        context.cloudAccount().flatMap(TeamSpec.CloudAccount::teamRoleArn).ifPresent(role -> {
            // Access entries need the API authentication mode; the config map stays for what CAPA writes there.
            spec.putObject("accessConfig").put("authenticationMode", "api_and_config_map");
            ObjectNode entry = spec.putArray("accessEntries").addObject();
            entry.put("principalARN", role);
            entry.put("type", "standard");
            entry.set("kubernetesGroups", Manifest.strings(context.team().groups().stream().sorted().distinct().toList()));
        });
        boolean audit = context.variable("auditLogging").map(value -> value.asBoolean(false)).orElse(false);
        spec.putObject("logging").put("apiServer", audit).put("audit", audit).put("authenticator", audit)
                .put("controllerManager", false).put("scheduler", false);
        return controlPlane;
    }

    /**
     * Who reaches the API endpoint. The management cluster must (CAPA, Cluster API and Flux all call it), so the
     * public endpoint stays on unless the flavor says {@code private}, restricted to the flavor's
     * {@code publicEndpointCidrs} (the management cluster's egress addresses, and the people's) when it lists some.
     */
    private static ObjectNode endpointAccess(ClusterContext context) {
        String access = context.text("endpointAccess").orElse("public-and-private");
        ObjectNode endpoint = Json.MAPPER.createObjectNode();
        switch (access) {
            case "private" -> endpoint.put("private", true).put("public", false);
            case "public" -> endpoint.put("private", false).put("public", true);
            case "public-and-private" -> endpoint.put("private", true).put("public", true);
            default -> throw new RenderProblem("VariableInvalid", "endpointAccess is \"" + access
                    + "\"; allowed: private, public, public-and-private");
        }
        Optional<String> cidrs = context.setting("publicEndpointCidrs");
        if (cidrs.isPresent() && endpoint.path("public").asBoolean()) {
            List<String> blocks = Arrays.stream(cidrs.get().split(",")).map(String::trim).filter(block -> !block.isEmpty()).toList();
            for (String block : blocks) {
                if (!block.matches("^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$")) {
                    throw new RenderProblem("ProviderSettingInvalid", "publicEndpointCidrs of flavor \"" + context.flavorName()
                            + "\" holds \"" + block + "\", which is not an IPv4 CIDR block; list blocks such as "
                            + "203.0.113.0/24, separated by commas");
                }
            }
            endpoint.set("publicCIDRs", Manifest.strings(blocks));
        }
        return endpoint;
    }

    /** The Cluster API side of a node group; EKS bootstraps the nodes, so no bootstrap config. */
    private static ObjectNode machinePool(ClusterContext context, NodePool pool) {
        String name = ClusterApi.poolName(context, pool);
        ObjectNode machinePool = Manifest.namespaced(ClusterApi.API_VERSION, "MachinePool", context.namespace(), name,
                context.labels());
        ObjectNode spec = ClusterApi.scaled(context, pool, machinePool);
        if (!context.hibernated()) {
            // No replica count: the cluster autoscaler owns it, and a count in Git would be applied back over it.
            machinePool.path("metadata").withObjectProperty("annotations").put("cluster.x-k8s.io/replicas-managed-by",
                    "external-autoscaler");
        }
        spec.put("clusterName", context.name());
        ObjectNode machine = spec.putObject("template").putObject("spec");
        machine.put("clusterName", context.name());
        machine.put("version", context.workerVersion());
        machine.putObject("bootstrap").put("dataSecretName", "");
        machine.set("infrastructureRef", Manifest.reference(ClusterApi.INFRASTRUCTURE_GROUP, "AWSManagedMachinePool", name));
        return machinePool;
    }

    private static ObjectNode managedMachinePool(ClusterContext context, NodePool pool) {
        String name = ClusterApi.poolName(context, pool);
        ObjectNode managed = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "AWSManagedMachinePool",
                context.namespace(), name, context.labels());
        ObjectNode spec = managed.putObject("spec");
        spec.put("eksNodegroupName", context.namespace() + "-" + name);
        spec.put("instanceType", pool.instanceType());
        // CAPA's default is Amazon Linux 2 (AL2_x86_64), out of support since 2026-06-30 and without images for 1.33.
        spec.put("amiType", Aws.graviton(pool.instanceType()) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD");
        spec.put("capacityType", pool.capacityType().orElse(NodePool.CapacityType.ON_DEMAND) == NodePool.CapacityType.SPOT
                ? "spot" : "onDemand");
        // Hibernated: EKS keeps a node group's maximum at one or more, so only the minimum (and the desired size, from
        // the MachinePool's zero replicas) go to zero.
        spec.putObject("scaling").put("minSize", context.hibernated() ? 0 : pool.minSize()).put("maxSize", pool.maxSize());
        if (!pool.labels().isEmpty()) {
            spec.set("labels", Manifest.stringMap(pool.labels()));
        }
        spec.set("additionalTags", Aws.tags(context));
        return managed;
    }
}
