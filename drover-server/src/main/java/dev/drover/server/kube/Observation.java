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
 * @param helmReleases Flux HelmReleases by name
 * @param applications Argo CD Applications by name
 * @param gitRepositories Flux GitRepositories by name
 * @param eksControlPlane the AWSManagedControlPlane of an EKS cluster
 * @param machines Cluster API Machines by name
 * @param kubeconfig the Secret {@code <cluster>-kubeconfig} Cluster API writes for the workload cluster
 * @param droverSecrets the Secrets Drover wrote for the cluster (its Argo CD registration), by name
 */
public record Observation(Optional<JsonNode> cluster, Map<String, JsonNode> machineDeployments,
                          Map<String, JsonNode> machinePools, Map<String, JsonNode> kustomizations,
                          Map<String, JsonNode> helmReleases, Map<String, JsonNode> applications,
                          Map<String, JsonNode> gitRepositories, Optional<JsonNode> eksControlPlane, Map<String, JsonNode> machines,
                          Optional<JsonNode> kubeconfig,
                          Map<String, JsonNode> droverSecrets) {

    public Observation {
        machineDeployments = Map.copyOf(machineDeployments);
        machinePools = Map.copyOf(machinePools);
        kustomizations = Map.copyOf(kustomizations);
        helmReleases = Map.copyOf(helmReleases);
        applications = Map.copyOf(applications);
        gitRepositories = Map.copyOf(gitRepositories);
        machines = Map.copyOf(machines);
        droverSecrets = Map.copyOf(droverSecrets);
    }
}
