package dev.drover.server.environment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.environment.Lifetime;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the environment controller knows of one Cluster: its spec and creation time, the lifetime limits of its flavor
 * and team, the virtual clusters it hosts, and the parts of its status it decides from.
 *
 * @param status the stored status fields the controller reads: expiresAt, hibernation, observed (a missing node when
 *     there are none)
 * @param hosted the virtual clusters (team/name) whose flavor names this cluster as their host
 */
record ClusterEnvironment(ObjectKey key, ClusterSpec spec, Instant created, long generation, boolean deleting,
                          Lifetime.Limits limits, List<String> hosted, JsonNode status) {

    ClusterEnvironment {
        requireNonNull(key, "key is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(created, "created is null");
        requireNonNull(limits, "limits is null");
        hosted = List.copyOf(hosted);
        requireNonNull(status, "status is null");
    }

    /** Whether the controller has anything to say about the cluster: a TTL, a schedule, or what it wrote before. */
    boolean concerned() {
        return spec.ttl().isPresent() || spec.hibernation().isPresent() || status.has("expiresAt") || status.has("hibernation");
    }

    Optional<String> lastHibernationTransition() {
        return Optional.of(status.path("hibernation").path("lastTransitionTime").asText("")).filter(time -> !time.isEmpty());
    }

    String lastHibernationState() {
        return status.path("hibernation").path("state").asText("");
    }
}
