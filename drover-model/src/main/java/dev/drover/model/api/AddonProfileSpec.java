package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Names;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("Standard add-ons (Helm charts or Git paths) installed on every Cluster whose labels the selector matches, "
        + "with a default version per add-on and version pins per environment.")
public record AddonProfileSpec(
        @Doc("Which Clusters get the add-ons, by their labels: Drover's own (platform.drover.dev/team, environment, "
                + "flavor, provider, region) and the Cluster's. Unset or empty selects every Cluster.")
        Optional<ClusterSelector> clusterSelector,
        @Doc("Decides between profiles that give a Cluster an add-on of the same name: the higher priority wins. "
                + "Equal priority and different settings is a conflict. Defaults to 0.")
        Optional<Integer> priority,
        @Required @ListMap("name") @Doc("The add-ons, by name.") List<Addon> addons) {

    public AddonProfileSpec {
        clusterSelector = Values.option(clusterSelector);
        priority = Values.option(priority);
        addons = Values.list(addons);
    }

    /** Whether the profile selects a Cluster with these labels; no selector selects every Cluster. */
    public boolean selects(Map<String, String> clusterLabels) {
        return clusterSelector.map(selector -> selector.toLabelSelector().matches(clusterLabels)).orElse(true);
    }

    public int effectivePriority() {
        return priority.orElse(0);
    }

    public Optional<Addon> addon(String name) {
        return addons.stream().filter(addon -> addon.name().equals(name)).findFirst();
    }

    @Doc("One add-on: where it comes from, which version each environment runs, and its values.")
    public record Addon(
            @Required @Doc("Name of the add-on, unique in the profile; also the Helm release name.") String name,
            @Doc("Namespace in the workload cluster the add-on is installed into; created if missing. Required, unless "
                    + "the add-on runs on the management cluster (runsOn: management), where it runs in the team's namespace.")
            Optional<String> namespace,
            @Doc("Where the add-on runs: workload (the default: inside the workload cluster) or management (on the "
                    + "management cluster, in the team's namespace beside the cluster's Cluster API objects, reaching the "
                    + "workload cluster through the <cluster>-kubeconfig Secret Cluster API writes; for controllers that "
                    + "drive Cluster API, such as the cluster autoscaler). There its release is named <cluster>-<name>.")
            Optional<Placement> runsOn,
            @Doc("A Helm chart source. Exactly one of chart and git is set.") Optional<HelmChart> chart,
            @Doc("A Git source: a directory of manifests or a kustomization. Exactly one of chart and git is set.")
            Optional<GitPath> git,
            @Required @Doc("Default version: the chart version, or for a Git source the tag (a 40-hex id is a commit).")
            String version,
            @Doc("Version pins per environment, for example production: \"1.14.5\"; they win over version.")
            Map<String, String> versions,
            @Doc("Helm values. Strings may hold placeholders: ${cluster.name}, ${cluster.providerName} (the name at the "
                    + "provider: team-cluster on EKS), ${cluster.region}, ${cluster.flavor}, ${cluster.provider}, "
                    + "${cluster.kubernetesVersion}, ${cluster.accountId} (the environment's cloud account), ${team.name}, "
                    + "${environment}, ${var.NAME} "
                    + "for the flavor variable NAME and ${flavor.setting.NAME} for the flavor's providerSettings entry NAME; "
                    + "$${ gives a literal ${.")
            Optional<JsonNode> values,
            @Doc("Names of add-ons of the same profile that must be ready before this one is installed.")
            @ListSet List<String> dependsOn,
            @Doc("Installed before every other add-on of the cluster, which waits for it: the network (CNI) and the cloud "
                    + "controller, without which nodes stay NotReady. A foundation add-on depends only on other foundation add-ons.")
            Optional<Boolean> foundation,
            @Minimum(0) @Doc("How often a failed install or upgrade is retried before giving up. Defaults to 3.")
            Optional<Integer> retries,
            @Doc("Dotted value keys a Cluster may override in spec.addons.overrides, for example replicaCount or "
                    + "resources.requests; a key allows everything below it.")
            @ListSet List<String> overridableValues) {

        public Addon {
            namespace = Values.option(namespace);
            runsOn = Values.option(runsOn);
            chart = Values.option(chart);
            git = Values.option(git);
            versions = Values.map(versions);
            values = Values.option(values).filter(value -> !value.isNull());
            dependsOn = Values.list(dependsOn);
            foundation = Values.option(foundation);
            retries = Values.option(retries);
            overridableValues = Values.list(overridableValues);
        }

        /** The version the environment runs: its pin, else the default. */
        public String versionFor(String environment) {
            return versions.getOrDefault(environment, version);
        }

        public int effectiveRetries() {
            return retries.orElse(3);
        }

        public boolean isFoundation() {
            return foundation.orElse(false);
        }

        public boolean runsOnManagement() {
            return runsOn.orElse(Placement.WORKLOAD) == Placement.MANAGEMENT;
        }
    }

    public enum Placement {
        @JsonProperty("workload") WORKLOAD,
        @JsonProperty("management") MANAGEMENT
    }

    @Doc("A Helm chart in an HTTP(S) or OCI repository.")
    public record HelmChart(
            @Required @Pattern(value = "^(https?|oci)://.+$", meaning = "an http://, https:// or oci:// URL")
            @Doc("Repository URL, for example https://charts.jetstack.io or oci://quay.io/jetstack/charts.")
            String repository,
            @Required @Doc("Chart name in the repository.") String name) {

        /** Derived from the repository, so not a field of the API: a client that sends the object back must not meet it. */
        @JsonIgnore
        public boolean isOci() {
            return repository.startsWith("oci://");
        }

        /** The repository and chart as one URL: for OCI the chart's own artifact, otherwise a display name. */
        public String chartUrl() {
            return repository.replaceFirst("/+$", "") + "/" + name;
        }
    }

    @Doc("A directory of a Git repository.")
    public record GitPath(
            @Required @Pattern(value = "^(https?|ssh)://.+$", meaning = "an https:// or ssh:// URL")
            @Doc("Repository URL.") String url,
            @Doc("Directory in the repository. Defaults to the root.") Optional<String> path,
            @ListSet @Doc("Only these files of the directory are applied (file names), for a directory that holds more "
                    + "than the manifests to apply, such as a driver's install directory with templates and scripts beside "
                    + "them. Empty: every manifest in it.") List<String> files) {

        public GitPath {
            path = Values.option(path);
            files = Values.list(files);
        }

        /** The directory relative to the repository root, with a trailing slash unless it is the root. */
        public String directory() {
            String relative = path.orElse("").replaceFirst("^\\./", "").replaceFirst("^/+", "").replaceFirst("/+$", "");
            return relative.isEmpty() ? "" : relative + "/";
        }
    }
}
