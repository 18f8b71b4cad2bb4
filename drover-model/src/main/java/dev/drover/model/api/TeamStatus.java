package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of a Team, written by Drover's controllers through the status subresource.")
public record TeamStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Current conditions: BudgetWarning (from 80 % of the budget) and BudgetExceeded (above 100 %).")
        @ListMap("type") List<Condition> conditions,
        @Doc("The team's monthly run-rate from the estimates of its Clusters.") Optional<Cost> cost) {

    public TeamStatus {
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        cost = Values.option(cost);
    }

    @Doc("A team's monthly run-rate. Amounts are decimal strings; the budget covers the team's own cost, the platform share is shown apart.")
    public record Cost(
            @Doc("ISO 4217 currency of the amounts.") Optional<String> currency,
            @Required @Doc("The team's own clusters per month, after virtual-cluster shares.") String monthly,
            @Doc("Monthly total with currency, as the COST column shows it; a trailing + marks a lower bound.") Optional<String> summary,
            @Doc("Production environments' part of monthly.") Optional<String> production,
            @Doc("Every other environment's part of monthly.") Optional<String> nonProduction,
            @Doc("Per environment.") List<EnvironmentCost> environments,
            @Doc("The team's share of the shared platform cost, not counted against the budget.") Optional<String> platformShare,
            @Doc("Monthly budget.") Optional<String> budget,
            @Doc("Share of the budget the own cost takes, for example 82.5 %.") Optional<String> budgetUsed,
            @Doc("Clusters counted.") Optional<Integer> clusters,
            @Doc("Clusters with unpriced items, whose cost is a lower bound.") Optional<Integer> unpricedClusters) {

        public Cost {
            currency = Values.option(currency);
            summary = Values.option(summary);
            production = Values.option(production);
            nonProduction = Values.option(nonProduction);
            environments = Values.list(environments);
            platformShare = Values.option(platformShare);
            budget = Values.option(budget);
            budgetUsed = Values.option(budgetUsed);
            clusters = Values.option(clusters);
            unpricedClusters = Values.option(unpricedClusters);
        }
    }

    @Doc("One environment's monthly cost.")
    public record EnvironmentCost(@Required @Doc("Environment.") String name, @Required @Doc("Monthly amount.") String monthly) {
    }
}
