package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of a Cluster, written by Drover's controllers through the status subresource.")
public record ClusterStatus(
        @Doc("Pending, Provisioning, Running, Upgrading, Degraded, Deleting or Failed.") Optional<String> phase,
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @ListMap("type") @Doc("Current conditions: Rendered, Committed, Provisioned, NodesReady, Synced, Ready and CostKnown.")
        List<Condition> conditions,
        @Doc("Where the cluster's manifests are in the fleet repository.") Optional<GitStatus> git,
        @Doc("The add-ons in the cluster's committed manifests, with their versions and the profiles they come from.")
        List<AddonStatus> addons,
        @Doc("The Applications in the cluster's committed manifests: the generation, template revision and image rendered.")
        @ListMap("name") List<CommittedApplication> applications,
        @Doc("Estimated monthly cost, with its breakdown.") Optional<CostStatus> cost,
        @Doc("What the management cluster reports of the cluster; empty while Drover is not connected to it.")
        Optional<Observed> observed,
        @Doc("When the cluster is deleted: its creation time plus spec.ttl (RFC 3339). Unset: no expiry.") Optional<String> expiresAt,
        @Doc("The hibernation state Drover renders for the cluster, why, and the next change.")
        Optional<HibernationStatus> hibernation,
        @Doc("Where the cluster's Kubernetes version is in its flavor's lifecycle; unset when the flavor has none for it.")
        Optional<VersionSupport> versionSupport,
        @Doc("The maintenance windows that apply, the values that roll machines as the fleet repository has them, and what "
                + "waits for a window; unset without windows.") Optional<MaintenanceStatus> maintenance) {

    public ClusterStatus {
        phase = Values.option(phase);
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        git = Values.option(git);
        addons = Values.list(addons);
        applications = Values.list(applications);
        cost = Values.option(cost);
        observed = Values.option(observed);
        expiresAt = Values.option(expiresAt);
        hibernation = Values.option(hibernation);
        versionSupport = Values.option(versionSupport);
        maintenance = Values.option(maintenance);
    }

    @Doc("The cluster's maintenance: whose windows apply, whether one is open, and what waits for the next.")
    public record MaintenanceStatus(
            @Required @Doc("Who sets the windows: the Cluster, its team or its flavor.") String source,
            @Required @Doc("Whether a window is open now.") Boolean open,
            @Doc("The open window.") Optional<String> window,
            @Doc("The next window, while none is open.") Optional<NextWindow> nextWindow,
            @Doc("The values that roll machines as the fleet repository has them.") Optional<RollingValues> applied,
            @Doc("The spec's values that wait for a window.") List<String> pending) {

        public MaintenanceStatus {
            window = Values.option(window);
            nextWindow = Values.option(nextWindow);
            applied = Values.option(applied);
            pending = Values.list(pending);
        }
    }

    @Doc("When the next maintenance window opens.")
    public record NextWindow(
            @Required @Doc("RFC 3339.") String opens,
            @Required @Doc("The window, for example window Tue 02:00-04:00 Europe/Berlin.") String window) {
    }

    @Doc("The Kubernetes version, machine image and node pools' instance types: what rolls machines when it changes.")
    public record RollingValues(
            @Required @Doc("Kubernetes version.") String kubernetesVersion,
            @Doc("Instance type per node pool.") java.util.Map<String, String> instanceTypes,
            @Doc("The flavor's machine image for the version, where it lists one.") Optional<String> machineImage,
            @Doc("The node pools' version while a minor upgrade moves the control plane first; unset: the control plane's.")
            Optional<String> workersVersion,
            @Doc("When the control plane's version last changed (RFC 3339).") Optional<String> controlPlaneSince) {

        public RollingValues {
            instanceTypes = Values.map(instanceTypes);
            machineImage = Values.option(machineImage);
            workersVersion = Values.option(workersVersion);
            controlPlaneSince = Values.option(controlPlaneSince);
        }

        /** The spec as the fleet repository is to get it: these values in place of the spec's (new pools keep theirs). */
        public ClusterSpec applyTo(ClusterSpec spec) {
            List<NodePool> pools = spec.nodePools().stream().map(pool -> Optional.ofNullable(instanceTypes.get(pool.name()))
                    .filter(type -> !type.equals(pool.instanceType()))
                    .map(type -> new NodePool(pool.name(), type, pool.minSize(), pool.maxSize(), pool.capacityType(), pool.labels()))
                    .orElse(pool)).toList();
            return spec.withVersionAndPools(Optional.of(kubernetesVersion), pools);
        }
    }

    @Doc("The lifecycle classification of the cluster's version now, and when it is deprecated and expires.")
    public record VersionSupport(
            @Required @Doc("preview, supported, deprecated or expired.") ClusterFlavorSpec.VersionClassification classification,
            @Required @Doc("The SUPPORT column: the classification, with the expiry when one is set.") String summary,
            @Doc("When the version is (or was) deprecated (RFC 3339).") Optional<String> deprecatedAt,
            @Doc("When the version expires (RFC 3339).") Optional<String> expiresAt) {

        public VersionSupport {
            deprecatedAt = Values.option(deprecatedAt);
            expiresAt = Values.option(expiresAt);
        }
    }

    @Doc("The hibernation state Drover renders into the fleet repository: Hibernated (worker pools at zero) or Awake.")
    public record HibernationStatus(
            @Required @Doc("Hibernated or Awake.") ClusterSpec.HibernationState state,
            @Required @Doc("What decides the state: a window of spec.hibernation, the override, or neither.") String cause,
            @Doc("When the state last changed (RFC 3339).") Optional<String> lastTransitionTime,
            @Doc("The next scheduled change, if any.") Optional<HibernationChange> next) {

        public HibernationStatus {
            lastTransitionTime = Values.option(lastTransitionTime);
            next = Values.option(next);
        }
    }

    @Doc("A coming change of the hibernation state.")
    public record HibernationChange(
            @Required @Doc("The state from then on.") ClusterSpec.HibernationState state,
            @Required @Doc("When (RFC 3339).") String at,
            @Required @Doc("What makes the change.") String cause) {
    }

    @Doc("One add-on of the cluster as committed.")
    public record AddonStatus(
            @Required @Doc("Add-on name.") String name,
            @Required @Doc("Chart version or Git tag.") String version,
            @Required @Doc("AddonProfile the add-on comes from.") String profile,
            @Doc("Namespace in the workload cluster.") Optional<String> namespace,
            @Doc("Chart (repository/name) or Git URL and path.") Optional<String> source) {

        public AddonStatus {
            namespace = Values.option(namespace);
            source = Values.option(source);
        }
    }

    @Doc("One Application of the cluster as committed.")
    public record CommittedApplication(
            @Required @Doc("Application name (of the cluster's team).") String name,
            @Required @Doc("The Application's metadata.generation rendered.") Long generation,
            @Required @Doc("The AppTemplate's metadata.generation rendered.") Long templateRevision,
            @Required @Doc("The image rendered.") String image,
            @Doc("The canary weight rendered, when the cluster takes canary traffic.") Optional<Integer> canaryWeight,
            @Doc("Why the Application's files could not be rendered again; the last committed ones stay.")
            Optional<String> renderFailure) {

        public CommittedApplication {
            canaryWeight = Values.option(canaryWeight);
            renderFailure = Values.option(renderFailure);
        }
    }

    @Doc("The fleet repository commit that holds the cluster's manifests as of observedGeneration.")
    public record GitStatus(
            @Doc("Commit id (SHA-1) of the last commit that wrote the cluster's files.") Optional<String> commit,
            @Doc("Branch of the fleet repository.") Optional<String> branch,
            @Doc("Directory of the cluster's Cluster API objects on the management cluster.") Optional<String> path,
            @Doc("Directory applied inside the workload cluster.") Optional<String> workloadPath) {

        public GitStatus {
            commit = Values.option(commit);
            branch = Values.option(branch);
            path = Values.option(path);
            workloadPath = Values.option(workloadPath);
        }
    }

    @Doc("The cluster as Cluster API and Flux on the management cluster report it.")
    public record Observed(
            @Doc("API server endpoint of the workload cluster.") Optional<String> endpoint,
            @ListSet @Doc("Kubernetes versions the control plane and workers run.") List<String> versions,
            @Doc("Control plane machines.") Optional<Replicas> controlPlane,
            @ListMap("name") @Doc("Worker machines per node pool.") List<PoolReplicas> nodePools,
            @Doc("Ready and wanted worker machines over all node pools, for example 5/6.") Optional<String> nodes,
            @Doc("The fleet repository revision Flux last applied for the cluster.") Optional<String> appliedRevision,
            @ListMap("name") @Doc("Each committed add-on as what installs it reports.") List<AddonObserved> addons,
            @Doc("EKS: the ARN of the cluster's IAM OIDC provider, which the trust policies of its add-ons' IAM roles name.")
            Optional<String> oidcProvider) {

        public Observed {
            oidcProvider = Values.option(oidcProvider);
            addons = Values.list(addons);
            endpoint = Values.option(endpoint);
            versions = Values.list(versions);
            controlPlane = Values.option(controlPlane);
            nodePools = Values.list(nodePools);
            nodes = Values.option(nodes);
            appliedRevision = Values.option(appliedRevision);
        }
    }

    @Doc("One add-on as its HelmRelease, Kustomization or Argo CD Application reports it.")
    public record AddonObserved(
            @Required @Doc("Add-on name.") String name,
            @Doc("Whether it is installed at the committed version and healthy.") Optional<Boolean> ready,
            @Doc("The version installed now.") Optional<String> installedVersion,
            @Doc("What is installed, or what it waits on or failed with.") Optional<String> message) {

        public AddonObserved {
            ready = Values.option(ready);
            installedVersion = Values.option(installedVersion);
            message = Values.option(message);
        }
    }

    @Doc("Machine counts as Cluster API reports them.")
    public record Replicas(
            @Doc("Machines wanted.") Optional<Long> desired,
            @Doc("Machines whose node is Ready.") Optional<Long> ready,
            @Doc("Machines available.") Optional<Long> available,
            @Doc("Machines at the wanted version and configuration.") Optional<Long> upToDate) {

        public Replicas {
            desired = Values.option(desired);
            ready = Values.option(ready);
            available = Values.option(available);
            upToDate = Values.option(upToDate);
        }
    }

    @Doc("Machine counts of one node pool.")
    public record PoolReplicas(
            @Required @Doc("Node pool name.") String name,
            @Doc("Machines wanted.") Optional<Long> desired,
            @Doc("Machines whose node is Ready.") Optional<Long> ready,
            @Doc("Machines at the wanted version and configuration.") Optional<Long> upToDate) {

        public PoolReplicas {
            desired = Values.option(desired);
            ready = Values.option(ready);
            upToDate = Values.option(upToDate);
        }
    }
}
