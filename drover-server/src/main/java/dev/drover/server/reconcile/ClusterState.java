package dev.drover.server.reconcile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.render.ClusterId;
import dev.drover.model.resource.ClusterSpec;
import dev.drover.model.resource.Json;
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

    static ClusterState of(ObjectNode object) {
        var metadata = object.path("metadata");
        var id = new ClusterId(metadata.path("namespace").asText(), metadata.path("name").asText());
        Map<String, String> labels = new java.util.HashMap<>();
        metadata.path("labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
        return new ClusterState(id, Json.bind(object.path("spec"), ClusterSpec.class), labels, metadata.path("generation").asLong(1),
                metadata.has("deletionTimestamp"),
                Optional.of(object.path("status").path("git").path("commit").asText("")).filter(commit -> !commit.isEmpty()));
    }

    /** Whether the change needs a new render: status writes alone do not; labels select add-ons, so they do. */
    boolean differsFrom(ClusterState other) {
        return generation != other.generation || deleting != other.deleting || !labels.equals(other.labels);
    }
}
