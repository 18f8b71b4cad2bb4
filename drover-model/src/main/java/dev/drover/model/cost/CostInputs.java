package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Everything the fleet's cost is computed from: teams (budgets), flavors, price books and the admitted cluster specs. */
public record CostInputs(SortedMap<String, TeamSpec> teams, SortedMap<String, ClusterFlavorSpec> flavors,
                         SortedMap<String, PriceBookSpec> priceBooks, SortedMap<ClusterId, ClusterSpec> clusters) {

    public CostInputs {
        teams = Collections.unmodifiableSortedMap(new TreeMap<>(teams));
        flavors = Collections.unmodifiableSortedMap(new TreeMap<>(flavors));
        priceBooks = Collections.unmodifiableSortedMap(new TreeMap<>(priceBooks));
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    }
}
