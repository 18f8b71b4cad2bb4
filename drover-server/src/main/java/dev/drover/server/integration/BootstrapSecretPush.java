package dev.drover.server.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.BootstrapSecret;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.kube.WorkloadClusters;
import dev.drover.server.store.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies each Cluster's bootstrap Secrets (its flavor's and team's, see {@link BootstrapSecret}) from Drover's
 * namespace on the management cluster into the workload cluster, through the kubeconfig Cluster API keeps for it,
 * once the cluster answers; again when the source changes, and, checked every resync interval, when the copy was
 * deleted or changed in the workload cluster. Its BootstrapSecretsPushed condition says which were copied when, or
 * what it waits for. Runs only when Drover is connected to a management cluster.
 */
public final class BootstrapSecretPush implements Controller<ObjectKey> {

    static final String PUSHED = "BootstrapSecretsPushed";
    private static final ClusterCondition CONDITION = new ClusterCondition(PUSHED);
    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("bootstrap-secrets", Kinds.CLUSTER, Set.of(),
            Set.of(PUSHED), Set.of(), Optional.empty());
    /** Marks a copy as Drover's, naming its source. */
    static final String SOURCE_LABEL = Kinds.LABEL_PREFIX + "bootstrap-secret";

    private final StatusWriter statuses;
    private final Informer<ClusterSpec> clusters;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<TeamSpec> teams;
    private final ManagementCluster management;
    private final WorkloadClusters workloads;
    private final Duration resync;
    private final Clock clock;
    private final WorkQueue<ObjectKey> queue = new WorkQueue<>(Duration.ofSeconds(2), Duration.ofMinutes(5));
    /** When each copy was last written, by cluster and copy; used on the controller's thread only. */
    private final Map<ClusterId, Map<String, String>> pushedAt = new HashMap<>();

    /** Registers its handlers on the informers and the management cluster, so construct it before they start. */
    public BootstrapSecretPush(StatusWriter statuses, Informer<ClusterSpec> clusters, Informer<ClusterFlavorSpec> flavors,
                               Informer<TeamSpec> teams, ManagementCluster management, WorkloadClusters workloads,
                               Duration resync, Clock clock) {
        this.statuses = statuses;
        this.clusters = clusters;
        this.flavors = flavors;
        this.teams = teams;
        this.management = management;
        this.workloads = workloads;
        this.resync = resync;
        this.clock = clock;
        statuses.register(OWNER);
        clusters.addHandler((before, after) -> {
            if (after.isEmpty() || before.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())) {
                queue.add(after.or(() -> before).get().key());
            }
        });
        flavors.addHandler((before, after) -> everyClusterWhere(cluster -> cluster.spec().flavor()
                .equals(after.or(() -> before).get().name())));
        teams.addHandler((before, after) -> everyClusterWhere(cluster -> cluster.namespace()
                .equals(after.or(() -> before).get().name())));
        management.onChange(id -> queue.add(ClusterCondition.key(id)));
        management.onSourceSecretChange(name -> everyClusterWhere(cluster -> declared(cluster).stream()
                .anyMatch(secret -> secret.name().equals(name))));
        management.onHealthChange(() -> everyClusterWhere(cluster -> true));
    }

    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "bootstrap-secrets";
    }

    @Override
    public Set<ObjectKey> reconcile(List<ObjectKey> batch) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        Set<ObjectKey> retry = new HashSet<>();
        for (ObjectKey key : batch) {
            ClusterId id = new ClusterId(key.namespace(), key.name());
            Optional<CachedObject<ClusterSpec>> cluster = clusters.get(key).filter(present -> !present.deleting());
            if (cluster.isEmpty()) {
                workloads.forget(id);
                pushedAt.remove(id);
                continue;
            }
            List<BootstrapSecret> declared = declared(cluster.get());
            if (declared.isEmpty()) {
                if (!condition(cluster.get()).isMissingNode()) {
                    updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.TRUE, "NothingToPush",
                            "neither the flavor nor the team names bootstrap Secrets"));
                }
                continue;
            }
            if (!management.health().reachable()) {
                updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.UNKNOWN, "ManagementClusterUnreachable",
                        "the management cluster does not answer: " + management.health().problem()));
                continue;
            }
            Optional<JsonNode> kubeconfig = management.observation(id).kubeconfig();
            if (kubeconfig.isEmpty()) {
                updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.FALSE, "WaitingForKubeconfig", "Cluster API has not "
                        + "written the Secret " + id.team() + "/" + id.name() + "-kubeconfig yet; the Secrets are copied once the "
                        + "cluster answers"));
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (BootstrapSecret secret : declared) {
                if (management.sourceSecret(secret.name()).isEmpty()) {
                    missing.add(management.managementNamespace() + "/" + secret.name());
                }
            }
            if (!missing.isEmpty()) {
                updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.FALSE, "SourceMissing", "no Secret "
                        + String.join(", ", missing) + " on the management cluster; create it there, Drover copies it from there"));
                queue.addAfter(key, resync);
                continue;
            }
            try {
                Map<String, String> times = pushedAt.computeIfAbsent(id, ignored -> new HashMap<>());
                List<String> copied = new ArrayList<>();
                for (BootstrapSecret secret : declared) {
                    String copy = secret.namespace() + "/" + secret.target();
                    if (workloads.putSecret(id, kubeconfig.get(), copyOf(secret, management.sourceSecret(secret.name()).get()))
                            || !times.containsKey(copy)) {
                        times.put(copy, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
                    }
                    copied.add(copy + " from " + management.managementNamespace() + "/" + secret.name() + " (written " + times.get(copy) + ")");
                }
                times.keySet().retainAll(declared.stream().map(secret -> secret.namespace() + "/" + secret.target()).toList());
                updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.TRUE, "Pushed", String.join("; ", copied)));
                queue.addAfter(key, resync);
            } catch (RuntimeException unanswered) {
                retry.add(key);
                updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.FALSE, "WorkloadClusterUnreachable",
                        "the workload cluster does not answer yet through " + id.team() + "/" + id.name() + "-kubeconfig: "
                                + Optional.ofNullable(unanswered.getMessage()).orElse(unanswered.getClass().getSimpleName())));
            }
        }
        statuses.write(OWNER, updates);
        return retry;
    }

    /** The copy in the workload cluster: the source's type and data, labelled as Drover's with its source. */
    static ObjectNode copyOf(BootstrapSecret secret, JsonNode source) {
        ObjectNode copy = Json.MAPPER.createObjectNode();
        copy.put("apiVersion", "v1");
        copy.put("kind", "Secret");
        ObjectNode metadata = copy.putObject("metadata");
        metadata.put("name", secret.target());
        metadata.put("namespace", secret.namespace());
        metadata.putObject("labels").put(SOURCE_LABEL, secret.name());
        copy.put("type", source.path("type").asText("Opaque"));
        copy.set("data", source.path("data").isObject() ? source.get("data").deepCopy() : Json.MAPPER.createObjectNode());
        return copy;
    }

    private List<BootstrapSecret> declared(CachedObject<ClusterSpec> cluster) {
        List<BootstrapSecret> flavor = flavors.get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", cluster.spec().flavor()))
                .map(found -> found.spec().bootstrapSecrets()).orElse(List.of());
        List<BootstrapSecret> team = teams.get(new ObjectKey(Kinds.TEAM.kind(), "", cluster.namespace()))
                .map(found -> found.spec().bootstrapSecrets()).orElse(List.of());
        return BootstrapSecret.of(flavor, team);
    }

    private void everyClusterWhere(java.util.function.Predicate<CachedObject<ClusterSpec>> matches) {
        clusters.list().stream().filter(matches).forEach(cluster -> queue.add(cluster.key()));
    }

    private static JsonNode condition(CachedObject<ClusterSpec> cluster) {
        for (JsonNode condition : cluster.status().path("conditions")) {
            if (condition.path("type").asText().equals(PUSHED)) {
                return condition;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

}
