package dev.drover.model.cost;

import dev.drover.model.api.CostStatus;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.api.TeamStatus;
import java.math.BigDecimal;
import java.util.Optional;

/** Estimates as the status of Clusters and Teams. */
public final class CostStatuses {

    private CostStatuses() {
    }

    public static CostStatus cluster(ClusterCost cost, Optional<String> currency) {
        return new CostStatus(currency, Money.format(cost.monthly()), Optional.of(summary(cost.monthly(), currency, cost.known())),
                cost.priceBook(), cost.lines().stream().map(line -> new CostStatus.Line(line.item(), Money.format(line.monthly()),
                Optional.of(line.detail()))).toList(), cost.unpriced());
    }

    public static TeamStatus.Cost team(TeamCost cost, Optional<String> currency) {
        return new TeamStatus.Cost(currency, Money.format(cost.monthly()),
                Optional.of(summary(cost.monthly(), currency, cost.unpricedClusters() == 0)),
                Optional.of(Money.format(cost.production())), Optional.of(Money.format(cost.nonProduction())),
                cost.environments().entrySet().stream().map(entry -> new TeamStatus.EnvironmentCost(entry.getKey(),
                        Money.format(entry.getValue()))).toList(),
                Optional.of(Money.format(cost.platformShare())), cost.budget().map(TeamSpec.Budget::monthly).map(Money::format),
                cost.budgetUsed().map(Money::percent), Optional.of(cost.clusters()), Optional.of(cost.unpricedClusters()));
    }

    /** {@code 1234.50 USD}, or {@code 1234.50+ USD} when items are unpriced and the amount is a lower bound. */
    public static String summary(BigDecimal amount, Optional<String> currency, boolean known) {
        return Money.format(amount) + (known ? "" : "+") + currency.map(code -> " " + code).orElse("");
    }
}
