package dev.drover.model.cost;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.Provider;
import dev.drover.model.api.TeamSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fleet's monthly cost, computed purely from {@link CostInputs}: every cluster's estimate, virtual clusters' shares
 * moved from their hosts to them (so nothing counts twice), team run-rates and the shared platform cost allocated to
 * teams.
 *
 * @param currency the default PriceBook's currency, the currency of every figure
 * @param platform the shared platform cost, empty without a default PriceBook or platform items
 */
public record FleetCost(Optional<String> currency, SortedMap<ClusterId, ClusterCost> clusters, SortedMap<String, TeamCost> teams,
                        Optional<PlatformCost> platform) {

    /** Environments counted as production; every other environment is non-production. */
    public static final Set<String> PRODUCTION_ENVIRONMENTS = Set.of("production", "prod");

    /** The shared platform cost and its split. */
    public record PlatformCost(BigDecimal monthly, PriceBookSpec.Allocation allocation, List<CostLine> items,
                               SortedMap<String, BigDecimal> shares) {
        public PlatformCost {
            items = List.copyOf(items);
            shares = Collections.unmodifiableSortedMap(new TreeMap<>(shares));
        }
    }

    public FleetCost {
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        teams = Collections.unmodifiableSortedMap(new TreeMap<>(teams));
    }

    public static FleetCost compute(CostInputs inputs) {
        return compute(inputs, Map.of());
    }

    /**
     * One cluster's estimate, with its share of a host if it is a virtual cluster (the host in the inputs): what
     * admission needs, without the teams' totals and the platform shares a whole-fleet computation adds.
     */
    public static Optional<ClusterCost> cluster(CostInputs inputs, ClusterId id) {
        PriceBooks books = new PriceBooks(inputs.priceBooks());
        return Optional.ofNullable(shareHosts(inputs, books, gross(inputs, books, Map.of())).get(id));
    }

    /** @param minimumSpotShares the least spot share of every pool, per cluster (what-if) */
    public static FleetCost compute(CostInputs inputs, Map<ClusterId, BigDecimal> minimumSpotShares) {
        PriceBooks books = new PriceBooks(inputs.priceBooks());
        return compute(inputs, books, gross(inputs, books, minimumSpotShares));
    }

    /** The fleet's cost, estimating again only the clusters whose spec changed since the memo last saw them. */
    public static FleetCost compute(CostInputs inputs, EstimateMemo memo) {
        PriceBooks books = new PriceBooks(inputs.priceBooks());
        memo.validFor(inputs);
        return compute(inputs, books, gross(inputs, (id, spec, flavor) -> memo.get(id, spec, () ->
                ClusterEstimator.estimate(id, spec, spec.flavor(), flavor, books.forFlavor(spec.flavor(), flavor), BigDecimal.ZERO,
                        inputs.at()))));
    }

    private static FleetCost compute(CostInputs inputs, PriceBooks books, SortedMap<ClusterId, ClusterCost> gross) {
        SortedMap<ClusterId, ClusterCost> clusters = shareHosts(inputs, books, gross);
        Optional<PlatformCost> platform = books.defaultBook().flatMap(index -> index.book().platform())
                .filter(settings -> !settings.lineItems().isEmpty())
                .map(settings -> platform(settings, clusters));
        Map<String, List<ClusterCost>> byTeam = new java.util.HashMap<>();
        clusters.values().forEach(cost -> byTeam.computeIfAbsent(cost.team(), ignored -> new ArrayList<>()).add(cost));
        SortedMap<String, TeamCost> teams = new TreeMap<>();
        inputs.teams().forEach((name, team) -> teams.put(name, team(name, team, byTeam.getOrDefault(name, List.of()),
                platform.map(value -> value.shares().getOrDefault(name, Money.ZERO)).orElse(Money.ZERO))));
        return new FleetCost(books.defaultBook().map(index -> index.book().currency()), clusters, teams, platform);
    }

    /** Each cluster's own estimate, before virtual clusters take their shares of their hosts. */
    private static SortedMap<ClusterId, ClusterCost> gross(CostInputs inputs, PriceBooks books,
                                                          Map<ClusterId, BigDecimal> minimumSpotShares) {
        return gross(inputs, (id, spec, flavor) -> ClusterEstimator.estimate(id, spec, spec.flavor(), flavor,
                books.forFlavor(spec.flavor(), flavor), minimumSpotShares.getOrDefault(id, BigDecimal.ZERO), inputs.at()));
    }

    /** How one cluster is estimated. */
    private interface Estimator {
        ClusterCost estimate(ClusterId id, ClusterSpec spec, ClusterFlavorSpec flavor);
    }

    private static SortedMap<ClusterId, ClusterCost> gross(CostInputs inputs, Estimator estimator) {
        SortedMap<ClusterId, ClusterCost> gross = new TreeMap<>();
        inputs.clusters().forEach((id, spec) -> {
            ClusterFlavorSpec flavor = inputs.flavors().get(spec.flavor());
            if (flavor != null) {
                gross.put(id, estimator.estimate(id, spec, flavor));
            }
        });
        return gross;
    }

    /** Moves each virtual cluster's share of its host from the host's estimate to its own. */
    private static SortedMap<ClusterId, ClusterCost> shareHosts(CostInputs inputs, PriceBooks books,
                                                                SortedMap<ClusterId, ClusterCost> gross) {
        Map<ClusterId, Map<ClusterId, BigDecimal>> fractionsByHost = new TreeMap<>();
        Map<ClusterId, String> describedShare = new TreeMap<>();
        SortedMap<ClusterId, ClusterCost> result = new TreeMap<>(gross);
        for (ClusterCost cost : gross.values()) {
            if (cost.provider() != Provider.VCLUSTER) {
                continue;
            }
            ClusterSpec spec = inputs.clusters().get(cost.id());
            ClusterFlavorSpec flavor = inputs.flavors().get(spec.flavor());
            ClusterId host = new ClusterId(FlavorSettings.setting(flavor, spec, FlavorSettings.HOST_CLUSTER_NAMESPACE)
                    .orElse(cost.team()), FlavorSettings.setting(flavor, spec, FlavorSettings.HOST_CLUSTER).orElse(""));
            ClusterCost hostCost = gross.get(host);
            if (hostCost == null || hostCost.provider() == Provider.VCLUSTER) {
                result.put(cost.id(), cost.with(List.of(), List.of("host-share: host cluster " + host
                        + " is not a Drover Cluster, so the share of it cannot be priced")));
                continue;
            }
            ClusterSpec hostSpec = inputs.clusters().get(host);
            ClusterFlavorSpec hostFlavor = inputs.flavors().get(hostSpec.flavor());
            Optional<Capacity> capacity = books.forFlavor(hostSpec.flavor(), hostFlavor).index()
                    .flatMap(index -> Capacity.of(hostSpec, hostFlavor, index));
            Optional<BigDecimal> cpu = FlavorSettings.setting(flavor, spec, FlavorSettings.CPU_QUOTA).map(BigDecimal::new);
            Optional<BigDecimal> memory = FlavorSettings.setting(flavor, spec, FlavorSettings.MEMORY_QUOTA_GI).map(BigDecimal::new);
            if (capacity.isEmpty() || cpu.isEmpty() || memory.isEmpty()) {
                result.put(cost.id(), cost.with(List.of(), List.of("host-share: " + (capacity.isEmpty()
                        ? "the size of host cluster " + host + " is unknown (its PriceBook needs vcpu and memoryGiB of its "
                        + "instance types, and it needs nodes)"
                        : "the virtual cluster has no " + FlavorSettings.CPU_QUOTA + " and " + FlavorSettings.MEMORY_QUOTA_GI))));
                continue;
            }
            BigDecimal fraction = cpu.get().divide(capacity.get().vcpu(), Money.PRECISION)
                    .max(memory.get().divide(capacity.get().memoryGiB(), Money.PRECISION)).min(BigDecimal.ONE);
            fractionsByHost.computeIfAbsent(host, ignored -> new LinkedHashMap<>()).put(cost.id(), fraction);
            describedShare.put(cost.id(), cpu.get().toPlainString() + " vCPU and " + memory.get().toPlainString() + " GiB of host "
                    + host + " (" + capacity.get().vcpu().stripTrailingZeros().toPlainString() + " vCPU, "
                    + capacity.get().memoryGiB().stripTrailingZeros().toPlainString() + " GiB)");
        }
        fractionsByHost.forEach((host, fractions) -> {
            ClusterCost hostCost = gross.get(host);
            BigDecimal sum = fractions.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            // An overcommitted host is split in proportion to the quotas instead of being counted more than once.
            BigDecimal scale = sum.compareTo(BigDecimal.ONE) > 0 ? BigDecimal.ONE.divide(sum, Money.PRECISION) : BigDecimal.ONE;
            BigDecimal given = Money.ZERO;
            List<String> unpricedOfHost = hostCost.known() ? List.of()
                    : List.of("host-share: the estimate of host " + host + " is incomplete");
            for (Map.Entry<ClusterId, BigDecimal> entry : fractions.entrySet()) {
                BigDecimal fraction = entry.getValue().multiply(scale, Money.PRECISION);
                BigDecimal amount = Money.cents(hostCost.monthly().multiply(fraction, Money.PRECISION));
                given = given.add(amount);
                result.put(entry.getKey(), result.get(entry.getKey()).with(List.of(new CostLine("host-share",
                        describedShare.get(entry.getKey()) + ": " + Money.percent(fraction) + " of " + Money.format(hostCost.monthly()),
                        amount)), unpricedOfHost));
            }
            result.put(host, hostCost.with(List.of(new CostLine("virtual-clusters", "shares taken by " + fractions.size()
                    + (fractions.size() == 1 ? " virtual cluster: " : " virtual clusters: ")
                    + String.join(", ", fractions.keySet().stream().map(ClusterId::toString).toList()), given.negate())), List.of()));
        });
        return result;
    }

    /** What a host cluster's expected nodes hold, from its price book's machine sizes. */
    record Capacity(BigDecimal vcpu, BigDecimal memoryGiB) {
        static Optional<Capacity> of(ClusterSpec spec, ClusterFlavorSpec flavor, PriceIndex index) {
            Optional<String> region = spec.region().or(flavor::effectiveDefaultRegion);
            BigDecimal vcpu = BigDecimal.ZERO;
            BigDecimal memory = BigDecimal.ZERO;
            for (NodePool pool : spec.nodePools()) {
                BigDecimal count = ClusterEstimator.expectedNodes(pool, flavor);
                if (count.signum() == 0) {
                    continue;
                }
                Optional<PriceIndex.MachineFacts> machine = index.machine(flavor.provider(), region, pool.instanceType());
                if (machine.isEmpty() || machine.get().vcpu().isEmpty() || machine.get().memoryGiB().isEmpty()) {
                    return Optional.empty();
                }
                vcpu = vcpu.add(count.multiply(BigDecimal.valueOf(machine.get().vcpu().get())));
                memory = memory.add(count.multiply(machine.get().memoryGiB().get()));
            }
            return vcpu.signum() > 0 && memory.signum() > 0 ? Optional.of(new Capacity(vcpu, memory)) : Optional.empty();
        }
    }

    private static PlatformCost platform(PriceBookSpec.Platform settings, SortedMap<ClusterId, ClusterCost> clusters) {
        List<CostLine> items = settings.lineItems().stream()
                .map(item -> new CostLine(item.name(), ClusterEstimator.price(item.monthly()) + "/month", item.monthly())).toList();
        BigDecimal total = items.stream().map(CostLine::monthly).reduce(Money.ZERO, BigDecimal::add);
        Map<String, BigDecimal> weights = new TreeMap<>();
        for (ClusterCost cost : clusters.values()) {
            BigDecimal weight = settings.effectiveAllocation() == PriceBookSpec.Allocation.EVEN ? BigDecimal.ZERO : cost.nodeHours();
            weights.merge(cost.team(), weight, BigDecimal::add);
        }
        if (settings.effectiveAllocation() == PriceBookSpec.Allocation.EVEN) {
            weights.replaceAll((team, weight) -> BigDecimal.ONE);
        }
        return new PlatformCost(total, settings.effectiveAllocation(), items, new TreeMap<>(Money.allocate(total, weights)));
    }

    private static TeamCost team(String name, TeamSpec team, List<ClusterCost> clusters, BigDecimal platformShare) {
        SortedMap<String, BigDecimal> environments = new TreeMap<>();
        BigDecimal production = Money.ZERO;
        BigDecimal nonProduction = Money.ZERO;
        BigDecimal nodeHours = BigDecimal.ZERO;
        int unpriced = 0;
        for (ClusterCost cost : clusters) {
            environments.merge(cost.environment(), cost.monthly(), BigDecimal::add);
            if (PRODUCTION_ENVIRONMENTS.contains(cost.environment())) {
                production = production.add(cost.monthly());
            } else {
                nonProduction = nonProduction.add(cost.monthly());
            }
            nodeHours = nodeHours.add(cost.nodeHours());
            unpriced += cost.known() ? 0 : 1;
        }
        return new TeamCost(name, production.add(nonProduction), environments, production, nonProduction, platformShare,
                clusters.size(), unpriced, nodeHours, team.budget());
    }

    /** The clusters of one team. */
    public List<ClusterCost> clustersOf(String team) {
        return new ArrayList<>(clusters.values().stream().filter(cost -> cost.team().equals(team)).toList());
    }
}
