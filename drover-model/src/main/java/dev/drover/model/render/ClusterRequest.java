package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Cluster as the renderer sees it: identity, the admitted (defaulted) spec, its labels (Drover's and the team's),
 * which select its add-on profiles, and whether it is to be hibernated (as status.hibernation decides: the renderer
 * takes the decision, it does not read a clock), and the machine image the fleet repository keeps while a new one
 * waits for a maintenance window (empty: the flavor's for the version), and the node pools' version while a minor
 * upgrade moves the control plane first (empty: the spec's).
 */
public record ClusterRequest(ClusterId id, ClusterSpec spec, Map<String, String> labels, boolean hibernated,
                             Optional<String> machineImage, Optional<String> workersVersion) {

    public ClusterRequest {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        requireNonNull(machineImage, "machineImage is null");
        requireNonNull(workersVersion, "workersVersion is null");
    }

    /** An awake cluster on its flavor's machine image. */
    public ClusterRequest(ClusterId id, ClusterSpec spec, Map<String, String> labels) {
        this(id, spec, labels, false, Optional.empty(), Optional.empty());
    }
}
