package dev.drover.model.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One cluster with everything it is rendered from: its team, its flavor, the fleet settings, and the add-on profiles
 * with the labels that select them.
 */
record ClusterContext(ClusterId id, ClusterSpec spec, TeamSpec team, String flavorName, ClusterFlavorSpec flavor,
                      FleetSettings settings, Map<String, String> selectionLabels,
                      SortedMap<String, AddonProfileSpec> profiles, boolean hibernated, Optional<String> machineImageKept,
                      Optional<String> workersVersionKept, SortedMap<String, IPPoolSpec> pools) {

    String name() {
        return id.name();
    }

    /** The team is the namespace of the cluster's objects on the management cluster. */
    String namespace() {
        return id.team();
    }

    /** {@code v1.31.4}: Cluster API writes Kubernetes versions with the leading v. */
    String version() {
        return "v" + spec.kubernetesVersion().orElseGet(() -> flavor.kubernetesVersions().defaultVersion());
    }

    /**
     * {@code v1.31.4}: the node pools' version, which trails the control plane's while a minor upgrade moves the control
     * plane first (the version-skew policy lets kubelets be older than the API server, never newer).
     */
    String workerVersion() {
        return workersVersionKept.map(version -> "v" + version).orElseGet(this::version);
    }

    /** The machine image of the node pools: the one for their version while they trail the control plane. */
    String workerMachineImage() {
        return workersVersionKept.isPresent() ? imageFor(workersVersionKept.get()) : machineImage();
    }

    /** The flavor's machine image for the cluster's version; flavors stored before images were per version have none. */
    String machineImage() {
        if (machineImageKept.isPresent()) {
            return machineImageKept.get();
        }
        return imageFor(version().substring(1));
    }

    private String imageFor(String version) {
        return Optional.ofNullable(flavor.kubernetesVersions().machineImages().get(version)).orElseThrow(() ->
                new RenderProblem("MachineImageMissing", "flavor \"" + flavorName + "\" has no machine image for Kubernetes "
                        + version + "; set spec.kubernetesVersions.machineImages[\"" + version + "\"] to the image whose kubelet is "
                        + version));
    }

    String region() {
        return spec.region().or(flavor::effectiveDefaultRegion).orElseThrow(() -> new RenderProblem("RegionMissing",
                "the cluster names no region and flavor \"" + flavorName + "\" has none to default to; "
                        + "set spec.region or the flavor's regions"));
    }

    /**
     * The cluster's name at its provider, which add-ons that call the provider's API need: EKS names a cluster
     * {@code <team>-<cluster>} (unique in the account, where several teams may share one); elsewhere the provider
     * uses the Cluster API name.
     */
    String providerClusterName() {
        return flavor.provider() == dev.drover.model.api.Provider.AWS_EKS ? id.team() + "-" + id.name() : id.name();
    }

    /** The cloud account of the cluster's environment, as the team declares it. */
    Optional<TeamSpec.CloudAccount> cloudAccount() {
        return team.environment(spec.environment()).flatMap(TeamSpec.Environment::cloudAccount);
    }

    /** The labels every generated object carries, so that inventory and cost can be split by them. */
    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Kinds.LABEL_PREFIX + "cluster", id.name());
        labels.put(Kinds.LABEL_PREFIX + "team", id.team());
        labels.put(Kinds.LABEL_PREFIX + "environment", spec.environment());
        labels.put(Kinds.LABEL_PREFIX + "flavor", flavorName);
        team.costCenter().ifPresent(costCenter -> labels.put(Kinds.LABEL_PREFIX + "cost-center", costCenter));
        return labels;
    }

    Optional<JsonNode> variable(String name) {
        return FlavorSettings.variable(flavor, spec, name);
    }

    Optional<String> text(String variable) {
        return FlavorSettings.text(flavor, spec, variable);
    }

    String requiredText(String variable) {
        return text(variable).orElseThrow(() -> new RenderProblem("VariableMissing", "the " + flavor.provider().wireName()
                + " provider needs variable \"" + variable + "\" and neither the cluster nor flavor \"" + flavorName
                + "\" gives a value; set spec.variables." + variable + " or add it with a default to the flavor"));
    }

    Optional<String> setting(String name) {
        return FlavorSettings.setting(flavor, spec, name);
    }

    String requiredSetting(String name) {
        return setting(name).orElseThrow(() -> new RenderProblem("ProviderSettingMissing", "flavor \"" + flavorName
                + "\" has no provider setting \"" + name + "\", which the " + flavor.provider().wireName()
                + " provider needs; add spec.providerSettings." + name + " to the flavor"));
    }

    int diskGiB() {
        return FlavorSettings.diskGiB(flavor, spec).orElseThrow(() -> new RenderProblem("ProviderSettingInvalid",
                "the diskGiB setting of flavor \"" + flavorName + "\" (or the cluster's variable) must be a whole number of "
                + "GiB from 1 to " + FlavorSettings.MAX_DISK_GIB));
    }

    int controlPlaneReplicas() {
        return FlavorSettings.controlPlaneReplicas(flavor, spec).orElseThrow(() -> new RenderProblem("ProviderSettingInvalid",
                "controlPlaneReplicas of flavor \"" + flavorName + "\" is \"" + FlavorSettings.controlPlaneReplicasSetting(flavor, spec)
                        + "\"; it must be an odd number such as 1, 3 or 5 so that etcd keeps a quorum"));
    }
}
