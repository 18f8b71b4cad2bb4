package dev.drover.model.cost;

import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a cluster create or resize keeps its team within budget: refused with the figures when the budget policy is
 * enforce, a warning when it is warn. A change that does not raise the cluster's cost is never refused, so that a team
 * over budget can still shrink.
 */
public final class BudgetCheck {

    private BudgetCheck() {
    }

    /**
     * @param estimate the cluster's estimate as requested
     * @param previous the cluster's monthly cost before the change; zero on create
     * @param others the monthly cost of the team's other clusters
     * @param currency the price books' currency, if there is a price book
     * @param dryRun whether to describe the estimate and the budget position as a warning
     * @return warnings for the response
     * @throws ApiException Forbidden when the team's policy is enforce and the change takes it over budget
     */
    public static List<String> check(String cluster, String team, TeamSpec teamSpec, ClusterCost estimate, BigDecimal previous,
                                     BigDecimal others, Optional<String> currency, boolean dryRun) {
        List<String> warnings = new ArrayList<>();
        String code = currency.orElse("");
        BigDecimal after = others.add(estimate.monthly());
        Optional<TeamSpec.Budget> budget = teamSpec.budget();
        if (dryRun) {
            String lines = estimate.lines().stream().map(line -> line.item() + " " + Money.format(line.monthly()))
                    .collect(Collectors.joining(", "));
            warnings.add("estimated cost of cluster " + cluster + ": " + CostStatuses.summary(estimate.monthly(), currency, estimate.known())
                    + " per month" + (lines.isEmpty() ? "" : " (" + lines + ")")
                    + (estimate.known() ? "" : "; unpriced: " + String.join("; ", estimate.unpriced()))
                    + "; team " + team + ": " + Money.format(others.add(previous)) + " to " + Money.format(after) + " " + code + " per month"
                    + budget.map(value -> " of a " + Money.format(value.monthly(), code) + " budget"
                    + (value.monthly().signum() > 0 ? " (" + Money.percent(after.divide(value.monthly(), Money.PRECISION)) + ")" : ""))
                    .orElse(" (no budget)"));
        }
        if (budget.isEmpty() || estimate.monthly().compareTo(previous) <= 0 || after.compareTo(budget.get().monthly()) <= 0) {
            return warnings;
        }
        Optional<String> budgetCurrency = budget.get().currency();
        if (budgetCurrency.isPresent() && currency.isPresent() && !budgetCurrency.equals(currency)) {
            throw ApiException.forbidden("clusters.platform.drover.dev \"" + cluster + "\" is forbidden: team \"" + team
                    + "\" budgets in " + budgetCurrency.get() + " but clusters are priced in " + currency.get()
                    + "; Drover does not convert currencies: a platform admin sets spec.budget.currency of the Team to "
                    + currency.get());
        }
        String figures = "current " + Money.format(others.add(previous), code) + ", this change "
                + (estimate.monthly().subtract(previous).signum() >= 0 ? "+" : "") + Money.format(estimate.monthly().subtract(previous))
                + " (cluster " + cluster + " " + Money.format(previous) + " to " + Money.format(estimate.monthly()) + "), after "
                + Money.format(after, code) + ", budget " + Money.format(budget.get().monthly(), code) + " per month";
        if (budget.get().policy().orElse(TeamSpec.BudgetPolicy.ENFORCE) == TeamSpec.BudgetPolicy.WARN) {
            warnings.add("cluster " + cluster + " takes team \"" + team + "\" over its monthly budget: " + figures
                    + " (budget policy warn, so it is accepted)");
            return warnings;
        }
        throw ApiException.forbidden("clusters.platform.drover.dev \"" + cluster + "\" is forbidden: exceeds the monthly budget of team \""
                + team + "\": " + figures + " (spec.budget.monthly); request fewer or smaller nodes, spot capacity or "
                + "hibernation (check with --dry-run=server), or ask a platform admin to raise the budget");
    }
}
