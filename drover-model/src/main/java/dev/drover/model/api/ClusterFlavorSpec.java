package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("The company standard for one kind of cluster: which provider, versions, regions and machine types are allowed, "
        + "the default node pools, and the typed variables a team may set.")
public record ClusterFlavorSpec(
        @Required @Doc("Cluster API provider the clusters are built with.") Provider provider,
        @Doc("What the flavor is for, shown to teams choosing one.") Optional<String> description,
        @Required @ListSet @Doc("Environments clusters of this flavor may be created in.") List<String> environments,
        @Required @Doc("Kubernetes versions clusters of this flavor may run.") KubernetesVersions kubernetesVersions,
        @ListSet @Doc("Regions (or data centers) clusters may be placed in. Empty when the provider has no regions.") List<String> regions,
        @Doc("Region used when a Cluster names none. Defaults to the first of regions.") Optional<String> defaultRegion,
        @ListSet @Doc("Machine types node pools may use.") List<String> instanceTypes,
        @ListMap("name") @Doc("Node pools a Cluster gets when it lists none.") List<NodePool> defaultNodePools,
        @ListMap("name") @Doc("Typed settings a Cluster may or must give, with defaults per environment.") List<Variable> variables,
        @Doc("Provider-specific settings of the standard, for example the vSphere datacenter or the host cluster of virtual clusters.")
        Map<String, String> providerSettings,
        @Doc("What every cluster of the flavor gives its team inside the cluster: namespaces, quotas and default limits.")
        Optional<Tenancy> tenancy,
        @Doc("GitOps engine that installs the clusters' add-ons from the management cluster: flux (the default) or argocd.")
        Optional<GitOpsEngine> gitops,
        @Doc("How clusters of the flavor are priced.") Optional<CostSettings> cost,
        @ListMap("name") @Doc("Secrets copied into each cluster of the flavor once it answers.") List<BootstrapSecret> bootstrapSecrets,
        @Doc("How long clusters of the flavor may live; the shorter of the flavor's and the team's maximum applies.")
        Optional<LifetimePolicy> lifetime,
        @Doc("Maintenance windows of the flavor's clusters whose Cluster and Team set none.")
        Optional<MaintenancePolicy> maintenance) {

    public ClusterFlavorSpec {
        description = Values.option(description);
        environments = Values.list(environments);
        regions = Values.list(regions);
        defaultRegion = Values.option(defaultRegion);
        instanceTypes = Values.list(instanceTypes);
        defaultNodePools = Values.list(defaultNodePools);
        variables = Values.list(variables);
        providerSettings = Values.map(providerSettings);
        tenancy = Values.option(tenancy);
        gitops = Values.option(gitops);
        cost = Values.option(cost);
        bootstrapSecrets = Values.list(bootstrapSecrets);
        lifetime = Values.option(lifetime);
        maintenance = Values.option(maintenance);
    }

    @Doc("How clusters of a flavor are priced.")
    public record CostSettings(
            @Doc("PriceBook of the flavor's clusters. Defaults to the default PriceBook.") Optional<String> priceBook,
            @Doc("Node count an estimate expects per pool: minimum (minSize, the default) or average (of minSize and maxSize, "
                    + "for pools that autoscale through the day).") Optional<ExpectedNodes> expectedNodes) {

        public CostSettings {
            priceBook = Values.option(priceBook);
            expectedNodes = Values.option(expectedNodes);
        }
    }

    public enum ExpectedNodes {
        @JsonProperty("minimum") MINIMUM,
        @JsonProperty("average") AVERAGE
    }

    public GitOpsEngine effectiveGitops() {
        return gitops.orElse(GitOpsEngine.FLUX);
    }

    public enum GitOpsEngine {
        @JsonProperty("flux") FLUX,
        @JsonProperty("argocd") ARGOCD
    }

    /** The region a Cluster that names none is placed in, if the flavor has regions at all. */
    public Optional<String> effectiveDefaultRegion() {
        return defaultRegion.or(() -> regions.stream().findFirst());
    }

    @Doc("The team's share of each workload cluster of the flavor.")
    public record Tenancy(
            @Doc("Namespaces created for the team in each cluster. Defaults to one namespace named after the team.")
            List<String> namespaces,
            @Doc("Hard limits of the ResourceQuota in each team namespace, for example requests.cpu: \"16\".")
            Map<String, String> resourceQuota,
            @Doc("Container requests a LimitRange fills in when a pod names none, for example cpu: 100m.")
            Map<String, String> defaultRequests,
            @Doc("Container limits a LimitRange fills in when a pod names none, for example memory: 512Mi.")
            Map<String, String> defaultLimits) {

        public Tenancy {
            namespaces = Values.list(namespaces);
            resourceQuota = Values.map(resourceQuota);
            defaultRequests = Values.map(defaultRequests);
            defaultLimits = Values.map(defaultLimits);
        }
    }

    @Doc("Kubernetes versions of a flavor.")
    public record KubernetesVersions(
            @Required @JsonProperty("default") @Doc("Version used when a Cluster names none; one of allowed.") String defaultVersion,
            @Required @ListSet @Doc("Versions a Cluster may ask for, for example 1.31.4.") List<String> allowed,
            @Doc("The machine image of each allowed version, whose kubelet is that version: on vsphere the VM template "
                    + "to clone (required for every allowed version). AWS images are found per version and region by "
                    + "Cluster API Provider AWS (providerSettings imageLookupOrg, imageLookupFormat, imageLookupBaseOS), "
                    + "so aws flavors list none.") Map<String, String> machineImages,
            @Doc("The lifecycle of versions, as Gardener's version classification (GEP-32) writes it: per minor version "
                    + "(1.33) or exact version (1.33.5, which wins over its minor), the classifications it passes through "
                    + "in order with their start times. New clusters get supported versions only (preview with "
                    + "spec.allowPreviewVersion), never expired ones. A version without a lifecycle is supported.")
            Map<String, List<LifecycleStage>> lifecycle) {

        public KubernetesVersions {
            allowed = Values.list(allowed);
            machineImages = Values.map(machineImages);
            lifecycle = Values.map(lifecycle);
        }

        public KubernetesVersions(String defaultVersion, List<String> allowed, Map<String, String> machineImages) {
            this(defaultVersion, allowed, machineImages, Map.of());
        }
    }

    @Doc("From startTime on, a version is in this classification (until the next stage starts).")
    public record LifecycleStage(
            @Required @Doc("preview, supported, deprecated or expired.") VersionClassification classification,
            @Required @Pattern(value = ClusterSpec.TIMESTAMP, meaning = "an RFC 3339 time in UTC such as 2026-12-02T00:00:00Z")
            @Doc("When the stage starts (RFC 3339, UTC).") String startTime) {
    }

    public enum VersionClassification {
        @JsonProperty("preview") PREVIEW,
        @JsonProperty("supported") SUPPORTED,
        @JsonProperty("deprecated") DEPRECATED,
        @JsonProperty("expired") EXPIRED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Doc("A typed setting that Clusters of the flavor may or must give.")
    public record Variable(
            @Required @Pattern(value = "^[a-zA-Z][a-zA-Z0-9_]*$", meaning = "an identifier (a letter, then letters, digits or '_')")
            @Doc("Name of the variable, the key in a Cluster's spec.variables.") String name,
            @Required @Doc("string, integer, number or boolean.") VariableType type,
            @Doc("What the variable means, for the teams setting it.") Optional<String> description,
            @Doc("Whether a Cluster must give a value when no default applies.") Optional<Boolean> required,
            @JsonProperty("default") @Doc("Value used when the Cluster gives none and no environment default applies.")
            Optional<JsonNode> defaultValue,
            @Doc("Defaults per environment; they win over default.") Map<String, JsonNode> environmentDefaults,
            @JsonProperty("enum") @Doc("The only values allowed, if set.") List<JsonNode> allowedValues,
            @Doc("Regular expression a string value must match.") Optional<String> pattern,
            @Doc("Smallest allowed numeric value.") Optional<BigDecimal> minimum,
            @Doc("Largest allowed numeric value.") Optional<BigDecimal> maximum) {

        public Variable {
            description = Values.option(description);
            required = Values.option(required);
            defaultValue = Values.option(defaultValue).filter(value -> !value.isNull());
            environmentDefaults = Values.map(environmentDefaults);
            allowedValues = Values.list(allowedValues);
            pattern = Values.option(pattern);
            minimum = Values.option(minimum);
            maximum = Values.option(maximum);
        }

        public boolean isRequired() {
            return required.orElse(false);
        }

        /** The default for a Cluster in the given environment, if any. */
        public Optional<JsonNode> defaultFor(String environment) {
            return Optional.ofNullable(environmentDefaults.get(environment)).or(() -> defaultValue);
        }
    }

    public enum VariableType {
        @JsonProperty("string") STRING,
        @JsonProperty("integer") INTEGER,
        @JsonProperty("number") NUMBER,
        @JsonProperty("boolean") BOOLEAN
    }
}
