package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.resource.ClusterSpec;

/** A Cluster as the renderer sees it: identity and the admitted (defaulted) spec. */
public record ClusterRequest(ClusterId id, ClusterSpec spec) {

    public ClusterRequest {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
    }
}
