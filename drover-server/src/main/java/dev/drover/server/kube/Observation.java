package dev.drover.server.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * What the management cluster has of one Drover cluster, as the objects' JSON.
 *
 * @param cluster the Cluster API Cluster
 * @param machineDeployments MachineDeployments by name
 * @param machinePools MachinePools by name
 * @param kustomizations Flux Kustomizations by name
 * @param kubeconfig the Secret {@code <cluster>-kubeconfig} Cluster API writes for the workload cluster
 * @param droverSecrets the Secrets Drover wrote for the cluster (its Argo CD registration), by name
 */
public record Observation(Optional<JsonNode> cluster, Map<String, JsonNode> machineDeployments,
                          Map<String, JsonNode> machinePools, Map<String, JsonNode> kustomizations,
                          Optional<JsonNode> kubeconfig, Map<String, JsonNode> droverSecrets) {

    public Observation {
        machineDeployments = Map.copyOf(machineDeployments);
        machinePools = Map.copyOf(machinePools);
        kustomizations = Map.copyOf(kustomizations);
        droverSecrets = Map.copyOf(droverSecrets);
    }
}
