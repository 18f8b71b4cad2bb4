package dev.drover.model.cost;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fleet's (or one team's) monthly cost grouped one way. The rows add up to the total exactly, whatever the grouping,
 * because every row is a sum of the same per-cluster figures in cents. The shared platform cost is reported apart.
 *
 * @param platform the shared platform cost: the whole of it, or the team's share when the report is for one team
 * @param unpricedClusters clusters whose estimate lacks a price, so that the total is a lower bound
 */
public record CostReport(GroupBy by, Optional<String> team, Optional<String> currency, List<Row> rows, BigDecimal total,
                         BigDecimal platform, int clusters, int unpricedClusters) {

    public enum GroupBy {
        @JsonProperty("team") TEAM(cost -> cost.team()),
        @JsonProperty("environment") ENVIRONMENT(ClusterCost::environment),
        @JsonProperty("cluster") CLUSTER(cost -> cost.id().toString()),
        @JsonProperty("flavor") FLAVOR(ClusterCost::flavor),
        @JsonProperty("provider") PROVIDER(cost -> cost.provider().wireName());

        private final Function<ClusterCost, String> key;

        GroupBy(Function<ClusterCost, String> key) {
            this.key = key;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Optional<GroupBy> of(String wireName) {
            return java.util.Arrays.stream(values()).filter(value -> value.wireName().equals(wireName)).findFirst();
        }
    }

    /**
     * One group.
     *
     * @param platform the group's share of the platform cost; only teams have one
     */
    public record Row(String key, int clusters, BigDecimal monthly, BigDecimal platform, int unpricedClusters) {
    }

    public CostReport {
        rows = List.copyOf(rows);
    }

    public static CostReport of(FleetCost fleet, GroupBy by, Optional<String> team) {
        List<ClusterCost> clusters = team.map(fleet::clustersOf).orElseGet(() -> new ArrayList<>(fleet.clusters().values()));
        SortedMap<String, List<ClusterCost>> groups = new TreeMap<>();
        clusters.forEach(cost -> groups.computeIfAbsent(by.key.apply(cost), ignored -> new ArrayList<>()).add(cost));
        if (by == GroupBy.TEAM) {
            fleet.teams().keySet().stream().filter(name -> team.map(name::equals).orElse(true))
                    .forEach(name -> groups.computeIfAbsent(name, ignored -> new ArrayList<>()));
        }
        List<Row> rows = new ArrayList<>();
        BigDecimal total = Money.ZERO;
        int unpriced = 0;
        for (var group : groups.entrySet()) {
            BigDecimal monthly = group.getValue().stream().map(ClusterCost::monthly).reduce(Money.ZERO, BigDecimal::add);
            int groupUnpriced = (int) group.getValue().stream().filter(cost -> !cost.known()).count();
            BigDecimal platformShare = by == GroupBy.TEAM
                    ? fleet.platform().map(platform -> platform.shares().getOrDefault(group.getKey(), Money.ZERO)).orElse(Money.ZERO)
                    : Money.ZERO;
            rows.add(new Row(group.getKey(), group.getValue().size(), monthly, platformShare, groupUnpriced));
            total = total.add(monthly);
            unpriced += groupUnpriced;
        }
        BigDecimal platform = fleet.platform().map(value -> team.map(name -> value.shares().getOrDefault(name, Money.ZERO))
                .orElse(value.monthly())).orElse(Money.ZERO);
        return new CostReport(by, team, fleet.currency(), rows, total, platform, clusters.size(), unpriced);
    }
}
