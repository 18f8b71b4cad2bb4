package dev.drover.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.cost.ClusterCost;
import dev.drover.model.cost.CostInputs;
import dev.drover.model.cost.CostStatuses;
import dev.drover.model.cost.FleetCost;
import dev.drover.model.cost.Money;
import dev.drover.model.cost.TeamCost;
import dev.drover.model.render.ClusterId;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kinds;
import dev.drover.server.cost.CostAttribute;
import dev.drover.server.cost.CostLedger;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes the fleet's cost when anything it depends on changed and writes what differs from the last write: each
 * Cluster's status.cost, CostKnown condition and cost attribute (which budget checks sum), and each Team's
 * status.cost with its BudgetWarning and BudgetExceeded conditions. Publishes the result for reports.
 */
final class CostWriter {

    private final ResourceStore store;
    private final Clock clock;
    private final CostLedger ledger;
    private final Map<ClusterId, JsonNode> writtenClusters = new HashMap<>();
    private final Map<String, JsonNode> writtenTeams = new HashMap<>();
    private long computedVersion = -1;

    CostWriter(ResourceStore store, Clock clock, CostLedger ledger) {
        this.store = store;
        this.clock = clock;
        this.ledger = ledger;
    }

    void write(FleetMirror mirror) {
        long version = mirror.costVersion();
        if (version == computedVersion) {
            return;
        }
        CostInputs inputs = mirror.costInputs();
        FleetCost fleet = FleetCost.compute(inputs);
        ledger.publish(inputs, fleet);
        Map<ClusterId, ObjectNode> clusterStatuses = new LinkedHashMap<>();
        fleet.clusters().forEach((id, cost) -> {
            ObjectNode decided = clusterCost(cost, fleet.currency());
            if (!decided.equals(writtenClusters.get(id))) {
                clusterStatuses.put(id, decided);
            }
        });
        writtenClusters.keySet().retainAll(fleet.clusters().keySet());
        Map<String, ObjectNode> teamStatuses = new LinkedHashMap<>();
        fleet.teams().forEach((name, cost) -> {
            ObjectNode decided = Json.toTree(CostStatuses.team(cost, fleet.currency()));
            if (!decided.equals(writtenTeams.get(name))) {
                teamStatuses.put(name, decided);
            }
        });
        writtenTeams.keySet().retainAll(fleet.teams().keySet());
        if (!clusterStatuses.isEmpty() || !teamStatuses.isEmpty()) {
            writeAll(clusterStatuses, teamStatuses, fleet);
        }
        computedVersion = version;
    }

    /** The status.cost of a cluster with its cents, the part of the status this writer owns. */
    private static ObjectNode clusterCost(ClusterCost cost, Optional<String> currency) {
        ObjectNode owned = Json.MAPPER.createObjectNode();
        owned.set("cost", Json.toTree(CostStatuses.cluster(cost, currency)));
        owned.put("cents", CostAttribute.cents(cost));
        owned.put("known", cost.known());
        return owned;
    }

    private void writeAll(Map<ClusterId, ObjectNode> clusterStatuses, Map<String, ObjectNode> teamStatuses, FleetCost fleet) {
        List<ObjectKey> keys = new ArrayList<>();
        clusterStatuses.keySet().forEach(id -> keys.add(new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name())));
        teamStatuses.keySet().forEach(name -> keys.add(new ObjectKey(Kinds.TEAM.kind(), "", name)));
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<ClusterId, JsonNode> clustersWritten = new HashMap<>();
        Map<String, JsonNode> teamsWritten = new HashMap<>();
        store.write(new ReadHints(keys, List.of()), transaction -> {
            clusterStatuses.forEach((id, owned) -> transaction.get(new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name()))
                    .filter(stored -> !Json.parseObject(stored.json()).path("metadata").has("deletionTimestamp"))
                    .ifPresent(stored -> {
                        ObjectNode object = Json.parseObject(stored.json());
                        ObjectNode status = object.path("status").isObject() ? (ObjectNode) object.get("status").deepCopy()
                                : Json.MAPPER.createObjectNode();
                        status.set("cost", owned.get("cost"));
                        setCondition(status, costKnown(fleet.clusters().get(id), object.path("metadata").path("generation").asLong(1)), now);
                        Map<String, Long> attributes = new HashMap<>(stored.attributes());
                        attributes.put(CostAttribute.MONTHLY_COST_CENTS, owned.path("cents").asLong());
                        if (!ClusterStatuses.same(status, object.path("status")) || !attributes.equals(stored.attributes())) {
                            object.set("status", status);
                            transaction.put(Kinds.CLUSTER.kind(), id.team(), id.name(), stored.labels(), attributes, object);
                        }
                        clustersWritten.put(id, owned);
                    }));
            teamStatuses.forEach((name, cost) -> transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", name)).ifPresent(stored -> {
                ObjectNode object = Json.parseObject(stored.json());
                ObjectNode status = object.path("status").isObject() ? (ObjectNode) object.get("status").deepCopy()
                        : Json.MAPPER.createObjectNode();
                long generation = object.path("metadata").path("generation").asLong(1);
                status.put("observedGeneration", generation);
                status.set("cost", cost);
                budgetConditions(fleet.teams().get(name), fleet.currency(), generation)
                        .forEach(condition -> setCondition(status, condition, now));
                if (!ClusterStatuses.same(status, object.path("status"))) {
                    object.set("status", status);
                    transaction.put(Kinds.TEAM.kind(), "", name, stored.labels(), stored.attributes(), object);
                }
                teamsWritten.put(name, cost);
            }));
            return null;
        });
        writtenClusters.putAll(clustersWritten);
        writtenTeams.putAll(teamsWritten);
    }

    private static ObjectNode costKnown(ClusterCost cost, long generation) {
        return cost.known()
                ? ClusterStatuses.condition("CostKnown", "True", generation, "Priced", "every item of the estimate is priced by PriceBook \""
                        + cost.priceBook().orElse("") + "\"")
                : ClusterStatuses.condition("CostKnown", "False", generation, "Unpriced", "the estimate leaves out what has no price: "
                        + String.join("; ", cost.unpriced()) + "; a platform admin adds the figures to the PriceBook");
    }

    private static List<ObjectNode> budgetConditions(TeamCost cost, Optional<String> currency, long generation) {
        if (cost.budgetUsed().isEmpty()) {
            String why = cost.budget().isEmpty() ? "the team has no budget" : "the budget is zero";
            return List.of(ClusterStatuses.condition("BudgetWarning", "False", generation, "NoBudget", why),
                    ClusterStatuses.condition("BudgetExceeded", "False", generation, "NoBudget", why));
        }
        String code = currency.map(value -> " " + value).orElse("");
        String figures = Money.format(cost.monthly()) + code + " per month of a " + Money.format(cost.budget().orElseThrow().monthly())
                + code + " budget (" + Money.percent(cost.budgetUsed().get()) + ")";
        boolean warning = cost.budgetUsed().get().compareTo(TeamCost.WARNING_SHARE) >= 0;
        boolean exceeded = cost.budgetUsed().get().compareTo(java.math.BigDecimal.ONE) > 0;
        return List.of(
                ClusterStatuses.condition("BudgetWarning", warning ? "True" : "False", generation,
                        warning ? "BudgetNearlyUsed" : "WithinBudget", figures + (warning ? "; 80 % or more is used" : "")),
                ClusterStatuses.condition("BudgetExceeded", exceeded ? "True" : "False", generation,
                        exceeded ? "OverBudget" : "WithinBudget", figures));
    }

    /** Replaces the condition of the same type, keeping its transition time when its status did not change. */
    static void setCondition(ObjectNode status, ObjectNode condition, String now) {
        JsonNode previous = status.path("conditions");
        ObjectNode timed = ClusterStatuses.withTransitionTime(condition, previous, now);
        ArrayNode conditions = Json.MAPPER.createArrayNode();
        boolean replaced = false;
        for (JsonNode existing : previous) {
            if (existing.path("type").asText().equals(condition.path("type").asText())) {
                conditions.add(timed);
                replaced = true;
            } else {
                conditions.add(existing);
            }
        }
        if (!replaced) {
            conditions.add(timed);
        }
        status.set("conditions", conditions);
    }
}
