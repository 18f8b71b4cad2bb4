package dev.drover.server.api;

import dev.drover.model.cost.CostInputs;
import dev.drover.model.cost.FleetCost;
import dev.drover.model.api.ClusterId;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's latest cost, as the cost controller last computed it from its informers, for the report endpoints.
 * Reports read it instead of the store, so that a report over the whole fleet costs no database round trip.
 */
public final class CostLedger {

    /** The inputs and the cost computed from them. */
    public record Entry(CostInputs inputs, FleetCost cost) {
    }

    private volatile Map<ClusterId, String> savingsNotReal = Map.of();
    private volatile Entry latest = new Entry(new CostInputs(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
            java.time.Instant.EPOCH),
            new FleetCost(Optional.empty(), new TreeMap<>(), new TreeMap<>(), Optional.empty()));

    public Entry latest() {
        return latest;
    }

    public void publish(CostInputs inputs, FleetCost cost) {
        latest = new Entry(inputs, cost);
    }

    /**
     * The clusters whose estimate counts hibernated hours that are not happening (an override keeps them awake in a
     * window, or the hibernation did not take effect), with why; the environment controller publishes them.
     */
    public void publishSavingsNotReal(Map<ClusterId, String> clusters) {
        savingsNotReal = Map.copyOf(clusters);
    }

    public Map<ClusterId, String> savingsNotReal() {
        return savingsNotReal;
    }
}
