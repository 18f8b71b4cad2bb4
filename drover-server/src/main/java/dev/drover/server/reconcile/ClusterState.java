package dev.drover.server.reconcile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import java.util.Map;
import java.util.Optional;

/**
 * What the fleet reconciler knows of a stored Cluster.
 *
 * @param labels the Cluster's labels, which select its add-on profiles
 * @param committedAt the commit id the Cluster's status names, if any
 * @param hibernated whether status.hibernation (the environment controller's decision) says Hibernated: the cluster
 *     is rendered with its worker pools at zero then
 * @param hibernationCause what decided the hibernation state, when the Cluster has one
 * @param applied the values that roll machines as the maintenance controller lets the repository have them
 *     (status.maintenance.applied); empty: the spec's
 */
record ClusterState(ClusterId id, ClusterSpec spec, Map<String, String> labels, long generation, boolean deleting,
                    Optional<String> committedAt, boolean hibernated, Optional<String> hibernationCause,
                    Optional<ClusterStatus.RollingValues> applied) {

    ClusterState {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        labels = Map.copyOf(labels);
        requireNonNull(committedAt, "committedAt is null");
        requireNonNull(hibernationCause, "hibernationCause is null");
        requireNonNull(applied, "applied is null");
    }

    static ClusterState of(CachedObject<ClusterSpec> cluster) {
        JsonNode status = cluster.status();
        return new ClusterState(new ClusterId(cluster.namespace(), cluster.name()), cluster.spec(), cluster.labels(),
                cluster.generation(), cluster.deleting(),
                Optional.of(status.path("git").path("commit").asText("")).filter(commit -> !commit.isEmpty()),
                hibernated(status), Optional.of(status.path("hibernation").path("cause").asText("")).filter(cause -> !cause.isEmpty()),
                applied(status));
    }

    /**
     * The labels the rendered objects carry: not the campaign's, which marks the Cluster while a campaign changes it and
     * must not change files by itself.
     */
    Map<String, String> renderedLabels() {
        if (!labels.containsKey(Kinds.CAMPAIGN_LABEL)) {
            return labels;
        }
        Map<String, String> rendered = new java.util.TreeMap<>(labels);
        rendered.remove(Kinds.CAMPAIGN_LABEL);
        return rendered;
    }

    /** The campaign changing the Cluster now, if any. */
    Optional<String> campaign() {
        return Optional.ofNullable(labels.get(Kinds.CAMPAIGN_LABEL));
    }

    /** The spec the repository gets: the applied values that roll machines in place of the spec's. */
    ClusterSpec renderedSpec() {
        return applied.map(values -> values.applyTo(spec)).orElse(spec);
    }

    /** status.maintenance.applied, looked for in the text first, as most Clusters have no maintenance windows. */
    static Optional<ClusterStatus.RollingValues> applied(CachedObject<ClusterSpec> cluster) {
        return cluster.statusJson().contains("\"maintenance\":") ? applied(cluster.status()) : Optional.empty();
    }

    private static Optional<ClusterStatus.RollingValues> applied(JsonNode status) {
        JsonNode applied = status.path("maintenance").path("applied");
        return applied.isObject() ? Optional.of(Json.bind(applied, ClusterStatus.RollingValues.class)) : Optional.empty();
    }

    /** Whether the status says Hibernated; looked for in the text first, as most Clusters have no schedule. */
    static boolean hibernated(CachedObject<ClusterSpec> cluster) {
        return cluster.statusJson().contains("\"hibernation\":") && hibernated(cluster.status());
    }

    private static boolean hibernated(JsonNode status) {
        return status.path("hibernation").path("state").asText("").equals("Hibernated");
    }
}
