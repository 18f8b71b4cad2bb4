package dev.drover.server.observe;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.kube.Observation;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds what the management cluster reports into each Drover Cluster's status (see {@link Readiness}). Woken by a
 * Cluster's changes (its spec, deletion and the fleet reconciler's commit), by any change of the cluster's objects on
 * the management cluster, and for every Cluster when the management cluster stops or starts answering. Without a
 * management cluster it says, on every Cluster, that Drover is not connected.
 */
public final class ClusterObserver implements Controller<ObjectKey> {

    /** Up to this many Clusters per status transaction. */
    public static final int BATCH_LIMIT = 200;

    private final StatusWriter statuses;
    private final Informer<ClusterSpec> clusters;
    private final Optional<ManagementCluster> management;
    private final FleetRepository repository;
    private final WorkQueue<ObjectKey> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));

    /** Registers its handlers on the informer and the management cluster, so construct it before they start. */
    public ClusterObserver(StatusWriter statuses, Informer<ClusterSpec> clusters, Optional<ManagementCluster> management,
                           FleetRepository repository) {
        this.statuses = statuses;
        this.clusters = clusters;
        this.management = management;
        this.repository = repository;
        statuses.register(Readiness.OWNER);
        clusters.addHandler((before, after) -> {
            Optional<CachedObject<ClusterSpec>> current = after.or(() -> before);
            if (after.isPresent() && (before.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())
                    || !after.get().statusJson().equals(before.get().statusJson()))) {
                queue.add(current.get().key());
            }
        });
        management.ifPresent(cluster -> {
            cluster.onChange(id -> queue.add(new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name())));
            cluster.onHealthChange(() -> queue.addAll(clusters.list().stream().map(CachedObject::key).toList()));
        });
    }

    /**
     * What the observer last wrote for each Cluster; used on the controller's thread only. Empty after a start, so the
     * first decision for each Cluster is compared with the store.
     */
    private final Map<ObjectKey, StatusWriter.Update> written = new HashMap<>();

    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "management-cluster";
    }

    @Override
    public Set<ObjectKey> reconcile(List<ObjectKey> batch) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        for (ObjectKey key : batch) {
            Optional<CachedObject<ClusterSpec>> cluster = clusters.get(key);
            if (cluster.isEmpty()) {
                written.remove(key);
                continue;
            }
            StatusWriter.Update update = Readiness.decide(cluster.get(), view(cluster.get()));
            // Every change of the Cluster wakes the observer, most often to decide what it last wrote: the store would
            // read and compare the whole object only to find nothing to do.
            if (!update.equals(written.get(key))) {
                updates.add(update);
            }
        }
        statuses.write(Readiness.OWNER, updates);
        updates.forEach(update -> written.put(update.key(), update));
        return Set.of();
    }

    /** What Drover knows of the management cluster for the Cluster: observe, before the pure decision. */
    private Readiness.View view(CachedObject<ClusterSpec> cluster) {
        if (management.isEmpty()) {
            return new Readiness.View.NotConnected();
        }
        ManagementCluster.Health health = management.get().health();
        if (!health.reachable()) {
            return new Readiness.View.Unreachable(health.unreachableSince().orElseThrow(), health.problem());
        }
        Observation observation = management.get().observation(new ClusterId(cluster.namespace(), cluster.name()));
        String commit = cluster.status().path("git").path("commit").asText("");
        String applied = Optional.ofNullable(observation.kustomizations().get(Readiness.workloadKustomization(cluster.name())))
                .map(kustomization -> kustomization.path("status").path("lastAppliedRevision").asText("")).orElse("");
        String appliedCommit = applied.substring(applied.lastIndexOf(':') + 1);
        boolean holds = !commit.isEmpty() && !appliedCommit.isEmpty() && repository.holds(appliedCommit, commit);
        return new Readiness.View.Observed(observation, holds);
    }
}
