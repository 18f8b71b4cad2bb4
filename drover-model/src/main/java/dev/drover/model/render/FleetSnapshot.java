package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.TeamSpec;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a render reads: teams, flavors, add-on profiles, clusters, IP pools, application templates and applications
 * by name, and where Flux finds the repository.
 */
public record FleetSnapshot(SortedMap<String, TeamSpec> teams, SortedMap<String, ClusterFlavorSpec> flavors,
                            SortedMap<String, AddonProfileSpec> profiles, SortedMap<ClusterId, ClusterRequest> clusters,
                            FleetSettings settings, SortedMap<String, IPPoolSpec> pools,
                            FleetApplications applications) {

    public FleetSnapshot {
        teams = Collections.unmodifiableSortedMap(new TreeMap<>(teams));
        flavors = Collections.unmodifiableSortedMap(new TreeMap<>(flavors));
        profiles = Collections.unmodifiableSortedMap(new TreeMap<>(profiles));
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        requireNonNull(settings, "settings is null");
        pools = Collections.unmodifiableSortedMap(new TreeMap<>(pools));
        requireNonNull(applications, "applications is null");
    }
}
