package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the fleet's cost is computed from: teams (budgets), flavors, price books, the admitted cluster specs, and
 * the instant the estimate is for, which decides the fees that follow a version's lifecycle (EKS extended support).
 */
public record CostInputs(SortedMap<String, TeamSpec> teams, SortedMap<String, ClusterFlavorSpec> flavors,
                         SortedMap<String, PriceBookSpec> priceBooks, SortedMap<ClusterId, ClusterSpec> clusters, Instant at) {

    public CostInputs {
        teams = Collections.unmodifiableSortedMap(new TreeMap<>(teams));
        flavors = Collections.unmodifiableSortedMap(new TreeMap<>(flavors));
        priceBooks = Collections.unmodifiableSortedMap(new TreeMap<>(priceBooks));
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        requireNonNull(at, "at is null");
    }

    /**
     * How many lifecycle stages of the flavors have started by {@code at}: estimates made at two instants with the same
     * count price every version the same.
     */
    public int lifecycleStagesStarted() {
        int started = 0;
        for (ClusterFlavorSpec flavor : flavors.values()) {
            for (var stages : flavor.kubernetesVersions().lifecycle().values()) {
                for (var stage : stages) {
                    if (!dev.drover.model.version.VersionLifecycle.start(stage).isAfter(at)) {
                        started++;
                    }
                }
            }
        }
        return started;
    }

    /** When the next lifecycle stage of a flavor starts, after which a fee may follow another classification. */
    public java.util.Optional<Instant> nextLifecycleStage() {
        return flavors.values().stream().flatMap(flavor -> flavor.kubernetesVersions().lifecycle().values().stream())
                .flatMap(java.util.List::stream).map(dev.drover.model.version.VersionLifecycle::start)
                .filter(start -> start.isAfter(at)).min(Instant::compareTo);
    }
}
