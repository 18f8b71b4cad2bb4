package dev.drover.model.campaign;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A Cluster as a campaign observes it.
 *
 * @param name team/name
 * @param status its stored status (conditions, observed, maintenance and git are read), on demand: only the clusters
 *     a campaign changes need it, and a fleet of them is read on every pass
 */
public record FleetCluster(String name, ClusterSpec spec, Map<String, String> labels, long generation, boolean deleting,
                           Supplier<JsonNode> status) {

    public FleetCluster {
        requireNonNull(name, "name is null");
        requireNonNull(spec, "spec is null");
        labels = Map.copyOf(labels);
        requireNonNull(status, "status is null");
    }

    public String team() {
        return name.substring(0, name.indexOf('/'));
    }

    public String clusterName() {
        return name.substring(name.indexOf('/') + 1);
    }
}
