package dev.drover.model.cost;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.Provider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's monthly estimate: its lines, which add up to the total, and the items the price book has no figure for.
 *
 * @param priceBook the PriceBook the cluster is priced from, if there is one
 * @param nodeHours worker node-hours per month, the weight of the shared platform cost
 */
public record ClusterCost(ClusterId id, String flavor, Provider provider, String environment, Optional<String> priceBook,
                          List<CostLine> lines, List<String> unpriced, BigDecimal nodeHours) {

    public ClusterCost {
        requireNonNull(id, "id is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(priceBook, "priceBook is null");
        lines = List.copyOf(lines);
        unpriced = List.copyOf(unpriced);
        requireNonNull(nodeHours, "nodeHours is null");
    }

    /** The sum of the lines; with unpriced items, a lower bound. */
    public BigDecimal monthly() {
        return lines.stream().map(CostLine::monthly).reduce(Money.ZERO, BigDecimal::add);
    }

    /** Whether every item is priced. */
    public boolean known() {
        return unpriced.isEmpty();
    }

    public String team() {
        return id.team();
    }

    ClusterCost with(List<CostLine> extraLines, List<String> extraUnpriced) {
        List<CostLine> allLines = new ArrayList<>(lines);
        allLines.addAll(extraLines);
        List<String> allUnpriced = new ArrayList<>(unpriced);
        allUnpriced.addAll(extraUnpriced);
        return new ClusterCost(id, flavor, provider, environment, priceBook, allLines, allUnpriced, nodeHours);
    }
}
