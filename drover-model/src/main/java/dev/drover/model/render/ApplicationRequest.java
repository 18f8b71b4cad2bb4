package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ApplicationSpec;
import java.util.Optional;

/**
 * One Application as a render reads it.
 *
 * @param generation the Application's metadata.generation, recorded in the cluster's status with what was rendered
 * @param canaryWeight the share of traffic the canary controller decided for the Service; step 0's until it decided
 */
public record ApplicationRequest(String team, String name, long generation, ApplicationSpec spec, Optional<Integer> canaryWeight) {

    public ApplicationRequest {
        requireNonNull(team, "team is null");
        requireNonNull(name, "name is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(canaryWeight, "canaryWeight is null");
    }

    /** The key of {@link FleetApplications#applications()}. */
    public String key() {
        return team + "/" + name;
    }
}
