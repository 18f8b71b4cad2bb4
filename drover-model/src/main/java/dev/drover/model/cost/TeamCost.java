package dev.drover.model.cost;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.TeamSpec;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A team's monthly run-rate: its own clusters (by environment, production and the rest) and, apart, its share of
 * the shared platform cost. The budget covers the team's own cost.
 *
 * @param monthly the team's own clusters, after virtual-cluster shares
 * @param unpricedClusters how many of its clusters have items without a price, so that monthly is a lower bound
 */
public record TeamCost(String team, BigDecimal monthly, SortedMap<String, BigDecimal> environments, BigDecimal production,
                       BigDecimal nonProduction, BigDecimal platformShare, int clusters, int unpricedClusters,
                       BigDecimal nodeHours, Optional<TeamSpec.Budget> budget) {

    /** BudgetWarning from this share of the budget on. */
    public static final BigDecimal WARNING_SHARE = new BigDecimal("0.8");

    public TeamCost {
        requireNonNull(team, "team is null");
        environments = Collections.unmodifiableSortedMap(new TreeMap<>(environments));
    }

    /** The share of the budget the team's own cost takes, when it has a budget above zero. */
    public Optional<BigDecimal> budgetUsed() {
        return budget.map(TeamSpec.Budget::monthly).filter(amount -> amount.signum() > 0)
                .map(amount -> monthly.divide(amount, Money.PRECISION));
    }
}
