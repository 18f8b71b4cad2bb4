package dev.drover.server.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.cost.ClusterCost;
import dev.drover.model.cost.CostInputs;
import dev.drover.model.cost.CostStatuses;
import dev.drover.model.cost.EstimateMemo;
import dev.drover.model.cost.FleetCost;
import dev.drover.model.cost.Money;
import dev.drover.model.cost.TeamCost;
import dev.drover.model.schema.Json;
import dev.drover.server.api.CostLedger;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.write.CostAttribute;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps the fleet's cost current: whenever a Team, ClusterFlavor, PriceBook or Cluster spec changes, it computes the
 * whole fleet (pure, {@link FleetCost}), publishes it to the {@link CostLedger} that reports read, and writes what
 * differs: each Cluster's status.cost, CostKnown condition and cost attribute (which budget admission sums), each
 * Team's status.cost with its BudgetWarning and BudgetExceeded conditions.
 */
public final class CostController implements Controller<CostController.Work> {

    /** The one thing to do: the fleet's cost, computed whole because shares and the platform split span teams. */
    public enum Work { FLEET }

    static final StatusWriter.Owner CLUSTER_OWNER = new StatusWriter.Owner("cost", Kinds.CLUSTER, Set.of("cost"),
            Set.of("CostKnown"), Set.of(CostAttribute.MONTHLY_COST_CENTS), Optional.empty());
    static final StatusWriter.Owner TEAM_OWNER = new StatusWriter.Owner("cost", Kinds.TEAM, Set.of("observedGeneration", "cost"),
            Set.of("BudgetWarning", "BudgetExceeded"), Set.of(), Optional.empty(), Set.of("BudgetWarning", "BudgetExceeded"));

    /**
     * How long a change waits before the whole-fleet pass runs: the changes of a burst (a bulk create, a profile
     * rolled out) are taken in one pass, and the fleet reconciler's own status write is not queued behind this one.
     */
    private static final Duration SETTLE = Duration.ofMillis(200);

    private final StatusWriter statuses;
    private final CostLedger ledger;
    private final Informer<TeamSpec> teams;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<PriceBookSpec> priceBooks;
    private final Informer<ClusterSpec> clusters;
    /** The time estimates are for: a fee can follow a version's lifecycle, so a pass is due when a stage starts. */
    private final Clock clock;
    private final WorkQueue<Work> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));
    /**
     * What each Cluster's and Team's cost status was last written from; used on the controller's thread only. Empty
     * after a start, so the first pass compares everything with the store.
     */
    private final Map<ObjectKey, WrittenCost> written = new HashMap<>();
    /** Used on the controller's thread only: a pass estimates again only the Clusters whose spec changed. */
    private final EstimateMemo estimates = new EstimateMemo();

    /** A cluster's estimate or a team's run-rate as of the object's generation: its cost status follows from it. */
    private record WrittenCost(long generation, Object cost, Optional<String> currency) {
    }

    /** Registers its handlers on the informers, so construct it before they start. */
    public CostController(StatusWriter statuses, CostLedger ledger, Informer<TeamSpec> teams, Informer<ClusterFlavorSpec> flavors,
                          Informer<PriceBookSpec> priceBooks, Informer<ClusterSpec> clusters, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
        this.ledger = ledger;
        this.teams = teams;
        this.flavors = flavors;
        this.priceBooks = priceBooks;
        this.clusters = clusters;
        statuses.register(CLUSTER_OWNER);
        statuses.register(TEAM_OWNER);
        teams.addHandler((before, after) -> queueIfSpecChanged(before, after));
        flavors.addHandler((before, after) -> {
            queueIfSpecChanged(before, after);
            // The version policy rewrites a flavor's status.versions when a lifecycle stage starts: fees may follow.
            if (before.isPresent() && after.isPresent() && !before.get().statusJson().equals(after.get().statusJson())) {
                queue.addAfter(Work.FLEET, SETTLE);
            }
        });
        priceBooks.addHandler((before, after) -> queueIfSpecChanged(before, after));
        clusters.addHandler((before, after) -> {
            if (before.isEmpty() || after.isEmpty() || after.get().generation() != before.get().generation()
                    || after.get().deleting() != before.get().deleting()) {
                queue.addAfter(Work.FLEET, SETTLE);
            }
        });
    }

    public WorkQueue<Work> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "cost";
    }

    @Override
    public Set<Work> reconcile(List<Work> batch) {
        CostInputs inputs = inputs();
        FleetCost fleet = FleetCost.compute(inputs, estimates);
        ledger.publish(inputs, fleet);
        List<StatusWriter.Update> clusterUpdates = new ArrayList<>();
        Map<ObjectKey, WrittenCost> decided = new HashMap<>();
        fleet.clusters().forEach((id, cost) -> clusters.get(key(id)).ifPresent(cluster -> {
            var costNow = new WrittenCost(cluster.generation(), cost, fleet.currency());
            decided.put(cluster.key(), costNow);
            // Most passes change few estimates: only those are turned into status JSON and compared.
            if (!costNow.equals(written.get(cluster.key()))) {
                clusterUpdates.add(clusterUpdate(cluster, cost, fleet.currency()));
            }
        }));
        List<StatusWriter.Update> teamUpdates = new ArrayList<>();
        Map<ObjectKey, WrittenCost> decidedTeams = new HashMap<>();
        fleet.teams().forEach((name, cost) -> teams.get(new ObjectKey(Kinds.TEAM.kind(), "", name)).ifPresent(team -> {
            var costNow = new WrittenCost(team.generation(), cost, fleet.currency());
            decidedTeams.put(team.key(), costNow);
            if (!costNow.equals(written.get(team.key()))) {
                teamUpdates.add(teamUpdate(team, cost, fleet.currency()));
            }
        }));
        statuses.write(CLUSTER_OWNER, clusterUpdates);
        statuses.write(TEAM_OWNER, teamUpdates);
        written.clear();
        written.putAll(decided);
        written.putAll(decidedTeams);
        inputs.nextLifecycleStage().ifPresent(start -> queue.addAfter(Work.FLEET,
                max(Duration.between(clock.instant(), start), SETTLE)));
        return Set.of();
    }

    /** Teams, flavors, price books and the clusters not being deleted. */
    private CostInputs inputs() {
        var clusterSpecs = new TreeMap<ClusterId, ClusterSpec>();
        clusters.list().stream().filter(cluster -> !cluster.deleting())
                .forEach(cluster -> clusterSpecs.put(new ClusterId(cluster.namespace(), cluster.name()), cluster.spec()));
        return new CostInputs(teams.specsByName(), flavors.specsByName(), priceBooks.specsByName(), clusterSpecs, clock.instant());
    }

    static StatusWriter.Update clusterUpdate(CachedObject<ClusterSpec> cluster, ClusterCost cost, Optional<String> currency) {
        long generation = cluster.generation();
        Condition known = cost.known()
                ? Condition.of("CostKnown", true, generation, "Priced", "every item of the estimate is priced by PriceBook \""
                        + cost.priceBook().orElse("") + "\"")
                : Condition.of("CostKnown", false, generation, "Unpriced", "the estimate leaves out what has no price: "
                        + String.join("; ", cost.unpriced()) + "; a platform admin adds the figures to the PriceBook");
        Map<String, JsonNode> fields = Map.of("cost", Json.toTree(CostStatuses.cluster(cost, currency)));
        return new StatusWriter.Update(cluster.key(), fields, List.of(known),
                Map.of(CostAttribute.MONTHLY_COST_CENTS, CostAttribute.cents(cost)), StatusWriter.Finalizer.KEEP);
    }

    static StatusWriter.Update teamUpdate(CachedObject<TeamSpec> team, TeamCost cost, Optional<String> currency) {
        long generation = team.generation();
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        fields.put("observedGeneration", Json.MAPPER.getNodeFactory().numberNode(generation));
        fields.put("cost", Json.toTree(CostStatuses.team(cost, currency)));
        return new StatusWriter.Update(team.key(), fields, budgetConditions(cost, currency, generation));
    }

    private static List<Condition> budgetConditions(TeamCost cost, Optional<String> currency, long generation) {
        if (cost.budgetUsed().isEmpty()) {
            String why = cost.budget().isEmpty() ? "the team has no budget" : "the budget is zero";
            return List.of(Condition.of("BudgetWarning", false, generation, "NoBudget", why),
                    Condition.of("BudgetExceeded", false, generation, "NoBudget", why));
        }
        String code = currency.map(value -> " " + value).orElse("");
        String figures = Money.format(cost.monthly()) + code + " per month of a " + Money.format(cost.budget().orElseThrow().monthly())
                + code + " budget (" + Money.percent(cost.budgetUsed().get()) + ")";
        boolean warning = cost.budgetUsed().get().compareTo(TeamCost.WARNING_SHARE) >= 0;
        boolean exceeded = cost.budgetUsed().get().compareTo(BigDecimal.ONE) > 0;
        return List.of(
                Condition.of("BudgetWarning", warning, generation, warning ? "BudgetNearlyUsed" : "WithinBudget",
                        figures + (warning ? "; 80 % or more is used" : "")),
                Condition.of("BudgetExceeded", exceeded, generation, exceeded ? "OverBudget" : "WithinBudget", figures));
    }

    private void queueIfSpecChanged(Optional<? extends CachedObject<?>> before, Optional<? extends CachedObject<?>> after) {
        if (before.isEmpty() || after.isEmpty() || !before.get().spec().equals(after.get().spec())) {
            queue.addAfter(Work.FLEET, SETTLE);
        }
    }


    private static Duration max(Duration one, Duration other) {
        return one.compareTo(other) > 0 ? one : other;
    }

    private static ObjectKey key(ClusterId id) {
        return new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name());
    }
}
