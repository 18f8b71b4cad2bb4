package dev.drover.server.observe;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Condition.ConditionStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.kube.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what a Drover Cluster's status says of the cluster itself: the phase, what the management cluster reports
 * (endpoint, versions, machine counts, the revision Flux applied, each add-on's installed version) and the Provisioned,
 * NodesReady, Synced, AddonsReady and Ready conditions, each False or Unknown one saying which step waits on what. Pure: the observer passes in what it read.
 */
final class Readiness {

    static final String PROVISIONED = "Provisioned";
    static final String NODES_READY = "NodesReady";
    static final String SYNCED = "Synced";
    static final String ADDONS_READY = "AddonsReady";
    static final String READY = "Ready";
    private static final String AUTOSCALER_MINIMUM = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    private static final String CONTROL_PLANE_LABEL = "cluster.x-k8s.io/control-plane";
    private static final String DEPLOYMENT_LABEL = "cluster.x-k8s.io/deployment-name";
    /** The conditions of Cluster API AWS's AWSManagedControlPlane. */
    private static final String EKS_READY = "EKSControlPlaneReady";
    private static final String EKS_UPDATING = "EKSControlPlaneUpdating";

    /** What the observer owns of a Cluster's status. */
    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("management-cluster", Kinds.CLUSTER,
            Set.of("phase", "observed"), Set.of(PROVISIONED, NODES_READY, SYNCED, ADDONS_READY, READY), Set.of(), Optional.empty());

    /** What Drover knows of the management cluster for one Drover Cluster. */
    sealed interface View {
        /** No --management-kubeconfig: Drover does not look. */
        record NotConnected() implements View {
        }

        /** Configured, but it does not answer. */
        record Unreachable(Instant since, String problem) implements View {
            public Unreachable {
                requireNonNull(since, "since is null");
                requireNonNull(problem, "problem is null");
            }
        }

        /**
         * It answers.
         *
         * @param appliedContainsCommit whether the revision Flux applied for the cluster holds Drover's commit for it
         */
        record Observed(Observation observation, boolean appliedContainsCommit) implements View {
            public Observed {
                requireNonNull(observation, "observation is null");
            }
        }
    }

    private Readiness() {
    }

    /** The name of the Flux Kustomization that applies the cluster's own directory, whose revision tells Synced. */
    static String workloadKustomization(String cluster) {
        return cluster + "-workload";
    }

    static StatusWriter.Update decide(CachedObject<ClusterSpec> cluster, View view) {
        long generation = cluster.generation();
        JsonNode status = cluster.status();
        String commit = status.path("git").path("commit").asText("");
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("observed", Json.MAPPER.nullNode());
        List<Condition> conditions = new ArrayList<>();
        String previousPhase = status.path("phase").asText("");
        if (cluster.deleting()) {
            fields.put("phase", TextNode.valueOf("Deleting"));
            conditions.add(Condition.of(READY, false, generation, "Deleting", "the cluster is being deleted; its files leave the "
                    + "fleet repository and Cluster API removes its machines"));
            return new StatusWriter.Update(cluster.key(), fields, conditions);
        }
        Optional<String> fleetProblem = fleetProblem(status, commit);
        if (fleetProblem.isPresent()) {
            boolean failed = failedCondition(status, "Rendered");
            fields.put("phase", TextNode.valueOf(failed ? "Failed" : "Pending"));
            for (String type : List.of(PROVISIONED, NODES_READY, SYNCED, ADDONS_READY)) {
                conditions.add(Condition.of(type, ConditionStatus.UNKNOWN, generation, "NotCommitted", fleetProblem.get()));
            }
            conditions.add(Condition.of(READY, false, generation, failed ? "RenderFailed" : "NotCommitted", fleetProblem.get()));
            return new StatusWriter.Update(cluster.key(), fields, conditions);
        }
        switch (view) {
            case View.NotConnected ignored -> {
                fields.put("phase", TextNode.valueOf("Provisioning"));
                // Without the commit id, so that a new commit is no new decision; the Committed condition names it.
                for (String type : List.of(PROVISIONED, NODES_READY, SYNCED, ADDONS_READY)) {
                    conditions.add(Condition.of(type, ConditionStatus.UNKNOWN, generation, "NotConnected",
                            "not observed: Drover is not connected to a management cluster (see Ready)"));
                }
                conditions.add(Condition.of(READY, ConditionStatus.UNKNOWN, generation, "NotConnected",
                        "set --management-kubeconfig to observe the management cluster; the manifests are committed and Flux "
                                + "and Cluster API build the cluster from them, but Drover does not see their progress"));
            }
            case View.Unreachable unreachable -> {
                fields.remove("observed");
                fields.put("phase", TextNode.valueOf(previousPhase.isEmpty() ? "Provisioning" : previousPhase));
                String message = "the management cluster has not answered since " + unreachable.since() + " ("
                        + unreachable.problem() + "); the last observed state is kept";
                for (String type : List.of(PROVISIONED, NODES_READY, SYNCED, ADDONS_READY, READY)) {
                    conditions.add(Condition.of(type, ConditionStatus.UNKNOWN, generation, "ManagementClusterUnreachable", message));
                }
            }
            case View.Observed observed -> decideObserved(cluster, commit, observed, previousPhase, fields, conditions);
        }
        return new StatusWriter.Update(cluster.key(), fields, conditions);
    }

    private static void decideObserved(CachedObject<ClusterSpec> cluster, String commit, View.Observed view, String previousPhase,
                                       Map<String, JsonNode> fields, List<Condition> conditions) {
        long generation = cluster.generation();
        Observation observation = view.observation();
        String where = cluster.namespace() + "/" + cluster.name();
        Optional<JsonNode> kustomization = Optional.ofNullable(observation.kustomizations().get(workloadKustomization(cluster.name())));
        String applied = kustomization.map(object -> object.path("status").path("lastAppliedRevision").asText("")).orElse("");
        Condition synced;
        if (applied.isEmpty()) {
            String source = Optional.ofNullable(observation.gitRepositories().get(cluster.name() + "-fleet"))
                    .flatMap(repository -> condition(repository.path("status"), "Ready"))
                    .filter(ready -> ready.path("status").asText().equals("False"))
                    .map(ready -> "; GitRepository " + where + "-fleet: " + ready.path("message").asText("")).orElse("");
            synced = Condition.of(SYNCED, false, generation, "NotApplied", "Flux has not applied the cluster's directory yet "
                    + "(Kustomization " + where + "-workload" + (kustomization.isEmpty() ? " does not exist yet" : " has no applied revision")
                    + "); Drover is at " + shortCommit(commit) + source);
        } else if (view.appliedContainsCommit()) {
            synced = Condition.of(SYNCED, true, generation, "Applied", "Flux applied " + shortRevision(applied)
                    + ", which holds Drover's commit " + shortCommit(commit));
        } else {
            synced = Condition.of(SYNCED, false, generation, "Lagging", "Flux applied " + shortRevision(applied) + ", Drover is at "
                    + shortCommit(commit));
        }
        if (observation.cluster().isEmpty()) {
            fields.put("phase", TextNode.valueOf("Provisioning"));
            String message = "the management cluster has no Cluster API Cluster " + where + " yet: Flux creates it when it applies "
                    + "commit " + shortCommit(commit);
            conditions.add(Condition.of(PROVISIONED, false, generation, "WaitingForClusterAPI", message));
            conditions.add(Condition.of(NODES_READY, false, generation, "WaitingForClusterAPI", message));
            conditions.add(synced);
            conditions.add(Condition.of(ADDONS_READY, false, generation, "WaitingForClusterAPI", message));
            conditions.add(Condition.of(READY, false, generation, "WaitingForClusterAPI", message));
            return;
        }
        JsonNode capi = observation.cluster().get();
        JsonNode capiStatus = capi.path("status");
        Condition provisioned = provisioned(capiStatus, observation, generation);
        Map<String, PoolCounts> pools = pools(cluster.name(), observation);
        Condition nodes = nodesReady(cluster.name(), pools, observation, generation);
        List<AddonReadiness.Addon> addons = AddonReadiness.of(committedAddons(cluster.status()), observation);
        Condition addonsReady = addonsReady(addons, generation);
        ObjectNode observed = observed(capi, pools, applied);
        // The add-ons' IAM roles trust this provider; the operator's IAM pipeline needs it once EKS has made it.
        observation.eksControlPlane().map(controlPlane -> controlPlane.path("status").path("oidcProvider").path("arn").asText(""))
                .filter(arn -> !arn.isEmpty()).ifPresent(arn -> observed.put("oidcProvider", arn));
        addons.forEach(addon -> {
            ObjectNode entry = observed.withArrayProperty("addons").addObject().put("name", addon.name()).put("ready", addon.ready());
            addon.installed().ifPresent(version -> entry.put("installedVersion", version));
            entry.put("message", addon.message());
        });
        fields.put("observed", observed);
        conditions.add(provisioned);
        conditions.add(nodes);
        conditions.add(synced);
        conditions.add(addonsReady);
        List<Condition> parts = List.of(provisioned, nodes, synced, addonsReady);
        List<String> waiting = parts.stream().filter(part -> part.status() != ConditionStatus.TRUE)
                .map(part -> part.type() + ": " + part.message().orElse("")).toList();
        boolean ready = waiting.isEmpty();
        conditions.add(ready
                ? Condition.of(READY, true, generation, "Ready", "the cluster is provisioned, its nodes and add-ons are ready and "
                + "Flux applied Drover's commit " + shortCommit(commit))
                : Condition.of(READY, false, generation, "NotReady", String.join("; ", waiting)));
        String phase;
        Set<String> versions = versions(capiStatus);
        String wanted = "v" + cluster.spec().kubernetesVersion().orElse("");
        boolean eksUpdating = observation.eksControlPlane()
                .flatMap(controlPlane -> condition(controlPlane.path("status"), EKS_UPDATING))
                .map(updating -> updating.path("status").asText().equals("True")).orElse(false);
        if (eksUpdating) {
            phase = "Upgrading";
        } else if (ready) {
            phase = versions.size() > 1 || (!versions.isEmpty() && !versions.contains(wanted)) ? "Upgrading" : "Running";
        } else if (provisioned.status() == ConditionStatus.TRUE && !versions.isEmpty() && !versions.equals(Set.of(wanted))) {
            phase = "Upgrading";
        } else if (previousPhase.equals("Running") || previousPhase.equals("Degraded")) {
            phase = "Degraded";
        } else {
            phase = "Provisioning";
        }
        fields.put("phase", TextNode.valueOf(phase));
    }

    /**
     * Provisioned: Cluster API's infrastructure is provisioned and its control plane available (v1beta2 conditions),
     * naming the control plane machines that are not running. An EKS control plane counts by its own conditions:
     * its status.ready is true while EKS still updates it.
     */
    private static Condition provisioned(JsonNode capiStatus, Observation observation, long generation) {
        Optional<JsonNode> eksReady = observation.eksControlPlane().flatMap(controlPlane -> condition(controlPlane.path("status"), EKS_READY));
        if (eksReady.isPresent() && eksReady.get().path("status").asText().equals("False")) {
            return Condition.of(PROVISIONED, false, generation, "EKSControlPlaneNotReady", "the EKS control plane is not ready"
                    + Optional.of(eksReady.get().path("message").asText("")).filter(text -> !text.isEmpty()).map(text -> ": " + text).orElse(""));
        }
        boolean infrastructure = capiStatus.path("initialization").path("infrastructureProvisioned").asBoolean(false);
        Optional<JsonNode> controlPlane = condition(capiStatus, "ControlPlaneAvailable");
        boolean controlPlaneAvailable = controlPlane.map(node -> node.path("status").asText().equals("True")).orElse(false);
        if (infrastructure && controlPlaneAvailable) {
            return Condition.of(PROVISIONED, true, generation, "Provisioned", "infrastructure provisioned, control plane available"
                    + counts(" (", capiStatus.path("controlPlane"), " machines)"));
        }
        if (!infrastructure) {
            return Condition.of(PROVISIONED, false, generation, "InfrastructureNotProvisioned", "waiting for the infrastructure"
                    + conditionDetail(capiStatus, "InfrastructureReady"));
        }
        return Condition.of(PROVISIONED, false, generation, "ControlPlaneNotAvailable", "control plane"
                + counts(" ", capiStatus.path("controlPlane"), "") + " not available yet" + conditionDetail(capiStatus, "ControlPlaneAvailable")
                + waitingMachines(observation, machine -> machine.path("metadata").path("labels").has(CONTROL_PLANE_LABEL)));
    }

    /** The machines that are not running yet, with their phase and since when: {@code "; machine x Provisioning since T"}. */
    private static String waitingMachines(Observation observation, java.util.function.Predicate<JsonNode> which) {
        List<String> waiting = new ArrayList<>();
        new TreeMap<>(observation.machines()).forEach((name, machine) -> {
            String phase = machine.path("status").path("phase").asText("Pending");
            if (which.test(machine) && !phase.equals("Running")) {
                String since = machine.path("status").path("lastUpdated").asText(machine.path("metadata").path("creationTimestamp").asText(""));
                waiting.add("machine " + name + " " + phase + (since.isEmpty() ? "" : " since " + since));
            }
        });
        return waiting.isEmpty() ? "" : "; " + String.join(", ", waiting.stream().limit(3).toList())
                + (waiting.size() > 3 ? " and " + (waiting.size() - 3) + " more" : "");
    }

    /** The add-ons of the committed manifests, as the fleet reconciler wrote them into status.addons, by name. */
    private static Map<String, String> committedAddons(JsonNode status) {
        Map<String, String> committed = new TreeMap<>();
        status.path("addons").forEach(addon -> committed.put(addon.path("name").asText(), addon.path("version").asText()));
        return committed;
    }

    private static Condition addonsReady(List<AddonReadiness.Addon> addons, long generation) {
        if (addons.isEmpty()) {
            return Condition.of(ADDONS_READY, true, generation, "NoAddons", "the cluster's committed manifests have no add-ons");
        }
        List<String> waiting = addons.stream().filter(addon -> !addon.ready()).map(AddonReadiness.Addon::message).toList();
        if (waiting.isEmpty()) {
            return Condition.of(ADDONS_READY, true, generation, "AddonsReady", addons.size() + " add-on"
                    + (addons.size() == 1 ? "" : "s") + " installed at the committed versions");
        }
        return Condition.of(ADDONS_READY, false, generation, "AddonsNotReady", waiting.size() + " of " + addons.size()
                + " add-ons not ready: " + String.join("; ", waiting.stream().limit(5).toList())
                + (waiting.size() > 5 ? "; and " + (waiting.size() - 5) + " more" : ""));
    }

    private static Condition nodesReady(String cluster, Map<String, PoolCounts> pools, Observation observation, long generation) {
        List<String> notReady = new ArrayList<>();
        List<String> all = new ArrayList<>();
        pools.forEach((name, counts) -> {
            String text = counts.reported() ? "node pool " + name + " " + counts.ready() + "/" + counts.desired() + " ready"
                    : "node pool " + name + " not reported by Cluster API yet";
            all.add(text);
            if (!counts.reported() || counts.ready() < counts.desired()) {
                notReady.add(text + waitingMachines(observation, machine -> machine.path("metadata").path("labels")
                        .path(DEPLOYMENT_LABEL).asText("").equals(cluster + "-" + name)));
            }
        });
        if (pools.isEmpty()) {
            return Condition.of(NODES_READY, false, generation, "NoMachines", "no MachineDeployment or MachinePool of the cluster "
                    + "exists on the management cluster yet");
        }
        return notReady.isEmpty() ? Condition.of(NODES_READY, true, generation, "NodesReady", String.join(", ", all))
                : Condition.of(NODES_READY, false, generation, "NodesNotReady", String.join(", ", notReady));
    }

    /** @param reported whether Cluster API has written the pool's status yet */
    private record PoolCounts(long desired, long ready, long upToDate, boolean reported) {
    }

    /**
     * Per node pool, from the MachineDeployments and MachinePools named {@code <cluster>-<pool>}. The wanted count is
     * spec.replicas; for a pool the autoscaler sizes (no spec.replicas) the replicas Cluster API reports, and before
     * that the autoscaler's minimum.
     */
    private static Map<String, PoolCounts> pools(String cluster, Observation observation) {
        Map<String, PoolCounts> pools = new TreeMap<>();
        Map<String, JsonNode> all = new TreeMap<>(observation.machineDeployments());
        all.putAll(observation.machinePools());
        all.forEach((name, object) -> {
            String pool = name.startsWith(cluster + "-") ? name.substring(cluster.length() + 1) : name;
            JsonNode status = object.path("status");
            long minimum = object.path("metadata").path("annotations").path(AUTOSCALER_MINIMUM).asLong(1);
            long desired = object.path("spec").path("replicas").asLong(status.path("replicas").asLong(minimum));
            pools.put(pool, new PoolCounts(desired, status.path("readyReplicas").asLong(0), status.path("upToDateReplicas").asLong(0),
                    status.has("replicas") || status.has("readyReplicas")));
        });
        return pools;
    }

    private static ObjectNode observed(JsonNode capi, Map<String, PoolCounts> pools, String applied) {
        ObjectNode observed = Json.MAPPER.createObjectNode();
        JsonNode endpoint = capi.path("spec").path("controlPlaneEndpoint");
        if (!endpoint.path("host").asText("").isEmpty()) {
            observed.put("endpoint", "https://" + endpoint.path("host").asText() + ":" + endpoint.path("port").asInt(443));
        }
        Set<String> versions = versions(capi.path("status"));
        if (!versions.isEmpty()) {
            versions.forEach(observed.putArray("versions")::add);
        }
        JsonNode controlPlane = capi.path("status").path("controlPlane");
        if (controlPlane.isObject()) {
            ObjectNode replicas = observed.putObject("controlPlane");
            copyCount(controlPlane, "desiredReplicas", replicas, "desired");
            copyCount(controlPlane, "readyReplicas", replicas, "ready");
            copyCount(controlPlane, "availableReplicas", replicas, "available");
            copyCount(controlPlane, "upToDateReplicas", replicas, "upToDate");
        }
        pools.forEach((name, counts) -> observed.withArrayProperty("nodePools").addObject().put("name", name)
                .put("desired", counts.desired()).put("ready", counts.ready()).put("upToDate", counts.upToDate()));
        if (!pools.isEmpty()) {
            observed.put("nodes", pools.values().stream().mapToLong(PoolCounts::ready).sum() + "/"
                    + pools.values().stream().mapToLong(PoolCounts::desired).sum());
        }
        if (!applied.isEmpty()) {
            observed.put("appliedRevision", applied);
        }
        return observed;
    }

    /** The Kubernetes versions the control plane and workers run ({@code status.*.versions[].version}). */
    private static Set<String> versions(JsonNode capiStatus) {
        Set<String> versions = new TreeSet<>();
        for (String part : List.of("controlPlane", "workers")) {
            capiStatus.path(part).path("versions").forEach(version -> {
                if (!version.path("version").asText("").isEmpty()) {
                    versions.add(version.path("version").asText());
                }
            });
        }
        return versions;
    }

    private static Optional<String> fleetProblem(JsonNode status, String commit) {
        if (failedCondition(status, "Rendered")) {
            return Optional.of("the cluster does not render; see the Rendered condition");
        }
        if (commit.isEmpty()) {
            return Optional.of("waiting for the manifests to be committed; see the Committed condition");
        }
        return Optional.empty();
    }

    private static boolean failedCondition(JsonNode status, String type) {
        return condition(status, type).map(node -> node.path("status").asText().equals("False")).orElse(false);
    }

    private static Optional<JsonNode> condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }

    private static String conditionDetail(JsonNode capiStatus, String type) {
        return condition(capiStatus, type).map(node -> node.path("message").asText(node.path("reason").asText("")))
                .filter(text -> !text.isEmpty()).map(text -> ": " + text).orElse("");
    }

    private static String counts(String prefix, JsonNode replicas, String suffix) {
        if (!replicas.has("desiredReplicas")) {
            return "";
        }
        return prefix + replicas.path("availableReplicas").asLong(0) + "/" + replicas.path("desiredReplicas").asLong() + suffix;
    }

    private static void copyCount(JsonNode from, String field, ObjectNode to, String name) {
        if (from.has(field)) {
            to.put(name, from.path(field).asLong());
        }
    }

    private static String shortCommit(String commit) {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    /** {@code main@sha1:<40 hex>} as {@code main@sha1:<12 hex>}. */
    private static String shortRevision(String revision) {
        int at = revision.lastIndexOf(':');
        return at < 0 ? revision : revision.substring(0, at + 1) + shortCommit(revision.substring(at + 1));
    }
}
