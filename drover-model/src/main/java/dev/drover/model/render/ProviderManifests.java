package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The Cluster API objects of one cluster, grouped by the file they are written to.
 *
 * @param cluster the Cluster API {@code Cluster}
 * @param infrastructure the provider's cluster infrastructure (and hosts of it)
 * @param controlPlane the control plane and its machine template
 * @param workers per node pool: machine deployment or pool, machine and bootstrap templates
 */
record ProviderManifests(ObjectNode cluster, List<ObjectNode> infrastructure, List<ObjectNode> controlPlane,
                         List<ObjectNode> workers) {

    ProviderManifests {
        requireNonNull(cluster, "cluster is null");
        infrastructure = List.copyOf(infrastructure);
        controlPlane = List.copyOf(controlPlane);
        workers = List.copyOf(workers);
    }
}
