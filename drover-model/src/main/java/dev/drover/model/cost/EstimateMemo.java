package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.PriceBookSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Each cluster's own estimate as last computed, reused while its spec, the flavors and the price books are the same:
 * a whole-fleet pass then estimates only the clusters that changed. Not thread-safe; one per caller.
 */
public final class EstimateMemo {

    private record Estimate(ClusterSpec spec, ClusterCost cost) {
    }

    private final Map<ClusterId, Estimate> estimates = new HashMap<>();
    private SortedMap<String, ClusterFlavorSpec> flavors = new TreeMap<>();
    private SortedMap<String, PriceBookSpec> priceBooks = new TreeMap<>();
    private int lifecycleStagesStarted = -1;

    /** Forgets everything when the flavors or price books differ from the last inputs', or a lifecycle stage began. */
    void validFor(CostInputs inputs) {
        int started = inputs.lifecycleStagesStarted();
        if (!inputs.flavors().equals(flavors) || !inputs.priceBooks().equals(priceBooks) || started != lifecycleStagesStarted) {
            estimates.clear();
            flavors = inputs.flavors();
            priceBooks = inputs.priceBooks();
            lifecycleStagesStarted = started;
        }
        estimates.keySet().retainAll(inputs.clusters().keySet());
    }

    ClusterCost get(ClusterId id, ClusterSpec spec, java.util.function.Supplier<ClusterCost> estimate) {
        Estimate known = estimates.get(id);
        // The informers hand out the same spec object until it changes, so identity answers almost every time.
        if (known != null && (known.spec() == spec || known.spec().equals(spec))) {
            return known.cost();
        }
        ClusterCost cost = estimate.get();
        estimates.put(id, new Estimate(spec, cost));
        return cost;
    }
}
