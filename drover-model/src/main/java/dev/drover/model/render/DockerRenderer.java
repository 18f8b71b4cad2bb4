package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code docker}: CAPD, so the whole chain can be tried on a laptop with kind and clusterctl. */
final class DockerRenderer {

    private static final Map<String, String> KUBELET = Map.of("eviction-hard", "nodefs.available<0%,imagefs.available<0%");

    private DockerRenderer() {
    }

    static ProviderManifests render(ClusterContext context) {
        ObjectNode infrastructure = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "DockerCluster",
                context.namespace(), context.name(), context.labels());
        infrastructure.putObject("spec");
        ObjectNode controlPlaneTemplate = machineTemplate(context, ClusterApi.controlPlaneName(context), true);
        return ClusterApi.kubeadm(context, infrastructure, controlPlaneTemplate, kubeadmConfigSpec(), KUBELET, Optional.empty(),
                pool -> machineTemplate(context, ClusterApi.poolName(context, pool), false));
    }

    /** Control-plane nodes mount the Docker socket, as the CAPD quick start does. */
    private static ObjectNode machineTemplate(ClusterContext context, String baseName, boolean controlPlane) {
        ObjectNode template = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "DockerMachineTemplate",
                context.namespace(), baseName, context.labels());
        ObjectNode machine = template.putObject("spec").putObject("template").putObject("spec");
        if (controlPlane) {
            machine.putArray("extraMounts").addObject().put("containerPath", "/var/run/docker.sock")
                    .put("hostPath", "/var/run/docker.sock");
        }
        return ClusterApi.hashed(template, baseName);
    }

    private static ObjectNode kubeadmConfigSpec() {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.putObject("clusterConfiguration").putObject("apiServer").set("certSANs",
                Manifest.strings(List.of("localhost", "127.0.0.1", "0.0.0.0", "host.docker.internal")));
        for (String phase : List.of("initConfiguration", "joinConfiguration")) {
            spec.putObject(phase).putObject("nodeRegistration").set("kubeletExtraArgs", Manifest.arguments(KUBELET));
        }
        return spec;
    }
}
