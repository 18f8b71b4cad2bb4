package dev.drover.server.reconcile;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.server.controller.CachedObject;
import java.util.Map;
import java.util.Optional;

/**
 * What the fleet reconciler knows of a stored Cluster.
 *
 * @param labels the Cluster's labels, which select its add-on profiles
 * @param committedAt the commit id the Cluster's status names, if any
 */
record ClusterState(ClusterId id, ClusterSpec spec, Map<String, String> labels, long generation, boolean deleting,
                    Optional<String> committedAt) {

    ClusterState {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        labels = Map.copyOf(labels);
        requireNonNull(committedAt, "committedAt is null");
    }

    static ClusterState of(CachedObject<ClusterSpec> cluster) {
        return new ClusterState(new ClusterId(cluster.namespace(), cluster.name()), cluster.spec(), cluster.labels(),
                cluster.generation(), cluster.deleting(),
                Optional.of(cluster.status().path("git").path("commit").asText("")).filter(commit -> !commit.isEmpty()));
    }
}
