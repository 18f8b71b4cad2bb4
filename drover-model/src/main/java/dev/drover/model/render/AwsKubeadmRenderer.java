package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.NodePool;
import dev.drover.model.schema.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code aws}: CAPA infrastructure with a self-managed kubeadm control plane and kubeadm workers. */
final class AwsKubeadmRenderer {

    /** CAPA's documented node name: the EC2 private DNS name, which the AWS cloud provider expects. */
    private static final String NODE_NAME = "{{ ds.meta_data.local_hostname }}";
    /** The instance profiles clusterawsadm creates. */
    private static final String CONTROL_PLANE_PROFILE = "control-plane.cluster-api-provider-aws.sigs.k8s.io";
    private static final String NODE_PROFILE = "nodes.cluster-api-provider-aws.sigs.k8s.io";
    private static final Map<String, String> KUBELET = Map.of("cloud-provider", "external");

    private AwsKubeadmRenderer() {
    }

    static ProviderManifests render(ClusterContext context) {
        ObjectNode infrastructure = awsCluster(context);
        String controlPlaneType = FlavorSettings.controlPlaneInstanceType(context.flavor(), context.spec())
                .orElse("m5.large");
        ObjectNode controlPlaneTemplate = machineTemplate(context, ClusterApi.controlPlaneName(context), controlPlaneType, false,
                CONTROL_PLANE_PROFILE);
        return ClusterApi.kubeadm(context, infrastructure, controlPlaneTemplate, kubeadmConfigSpec(), KUBELET,
                Optional.of(NODE_NAME), pool -> machineTemplate(context, ClusterApi.poolName(context, pool), pool.instanceType(),
                        pool.capacityType().orElse(NodePool.CapacityType.ON_DEMAND) == NodePool.CapacityType.SPOT, NODE_PROFILE));
    }

    private static ObjectNode awsCluster(ClusterContext context) {
        ObjectNode cluster = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "AWSCluster", context.namespace(),
                context.name(), context.labels());
        ObjectNode spec = cluster.putObject("spec");
        spec.put("region", context.region());
        context.setting("sshKeyName").ifPresent(key -> spec.put("sshKeyName", key));
        spec.set("identityRef", Aws.identityRef(context));
        spec.set("additionalTags", Aws.tags(context));
        context.text("vpcCidr").ifPresent(cidr -> spec.putObject("network").putObject("vpc").put("cidrBlock", cidr));
        return cluster;
    }

    private static ObjectNode machineTemplate(ClusterContext context, String baseName, String instanceType, boolean spot,
                                              String instanceProfile) {
        ObjectNode template = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "AWSMachineTemplate",
                context.namespace(), baseName, context.labels());
        ObjectNode machine = template.putObject("spec").putObject("template").putObject("spec");
        machine.put("instanceType", instanceType);
        machine.put("iamInstanceProfile", instanceProfile);
        // CAPA finds the AMI by the cluster's version and region; the flavor may name whose images and which OS.
        for (String lookup : List.of("imageLookupOrg", "imageLookupFormat", "imageLookupBaseOS")) {
            context.setting(lookup).ifPresent(value -> machine.put(lookup, value));
        }
        context.setting("sshKeyName").ifPresent(key -> machine.put("sshKeyName", key));
        if (spot) {
            machine.putObject("spotMarketOptions");
        }
        machine.set("additionalTags", Aws.tags(context));
        return ClusterApi.hashed(template, baseName);
    }

    private static ObjectNode kubeadmConfigSpec() {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        // The cloud controller manager owns the node and route controllers; the controller manager leaves them to it.
        spec.putObject("clusterConfiguration").putObject("controllerManager").set("extraArgs", Manifest.arguments(KUBELET));
        for (String phase : List.of("initConfiguration", "joinConfiguration")) {
            ObjectNode registration = spec.putObject(phase).putObject("nodeRegistration");
            registration.put("name", NODE_NAME);
            registration.set("kubeletExtraArgs", Manifest.arguments(KUBELET));
        }
        return spec;
    }
}
