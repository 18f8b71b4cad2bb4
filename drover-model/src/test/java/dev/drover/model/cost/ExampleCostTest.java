package dev.drover.model.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetSnapshot;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The example organisation priced by the default PriceBook of examples/, against figures computed by hand. */
class ExampleCostTest {

    private static CostInputs exampleInputs() {
        FleetSnapshot snapshot = ExampleFleet.snapshot();
        var clusters = new TreeMap<ClusterId, ClusterSpec>();
        snapshot.clusters().forEach((id, request) -> clusters.put(id, request.spec()));
        return new CostInputs(snapshot.teams(), snapshot.flavors(), ExampleFleet.priceBooks(), clusters, ExampleFleet.PRICED_AT);
    }

    private static FleetCost exampleFleet() {
        return FleetCost.compute(exampleInputs());
    }

    @Test
    void aMemoGivesTheSameFiguresAndEstimatesAChangedClusterAgain() {
        CostInputs inputs = exampleInputs();
        var memo = new EstimateMemo();
        assertThat(FleetCost.compute(inputs, memo)).isEqualTo(FleetCost.compute(inputs));
        var prod = new ClusterId("payments", "payments-prod");
        var clusters = new TreeMap<>(inputs.clusters());
        clusters.put(prod, ExampleFleet.withPools(clusters.get(prod), clusters.get(prod).nodePools().subList(0, 1)));
        var changed = new CostInputs(inputs.teams(), inputs.flavors(), inputs.priceBooks(), clusters, inputs.at());
        FleetCost again = FleetCost.compute(changed, memo);
        assertThat(again).isEqualTo(FleetCost.compute(changed));
        assertThat(again.clusters().get(prod).monthly()).isLessThan(FleetCost.compute(inputs).clusters().get(prod).monthly());
    }

    private static ClusterCost cluster(FleetCost fleet, String team, String name) {
        return fleet.clusters().get(new ClusterId(team, name));
    }

    @Test
    void everyExampleClusterIsPriced() {
        FleetCost fleet = exampleFleet();

        assertThat(fleet.clusters()).hasSize(10);
        assertThat(fleet.clusters().values()).allSatisfy(cost -> assertThat(cost.unpriced()).as(cost.id().toString()).isEmpty());
        assertThat(fleet.currency()).contains("USD");
    }

    @Test
    void pricesTheExamplesAsComputedByHand() {
        FleetCost fleet = exampleFleet();

        // payments-prod, eu-central-1, Kubernetes 1.35 in EKS standard support: fee 0.10 × 730 = 73.00;
        // 3 × m6i.large 0.115 × 730 = 251.85; 2 × c6i.2xlarge 0.388 × 730 = 566.48; no NAT item outside us-east-1.
        assertThat(cluster(fleet, "payments", "payments-prod").monthly()).isEqualByComparingTo("891.33");
        assertThat(cluster(fleet, "payments", "payments-prod").lines()).anySatisfy(line ->
                assertThat(line.detail()).contains("0.10/h (Kubernetes 1.35)"));
        // payments-dev: 1 spot m6i.large at 60 % off, asleep 55 of 168 h: 0.115 × 491.0119 × 0.4 = 22.5865 → 22.59; + 73.00.
        assertThat(cluster(fleet, "payments", "payments-dev").monthly()).isEqualByComparingTo("95.59");
        // search-prod, us-east-1, kubeadm: 3 × m5.xlarge 0.192 × 730 = 420.48; 3 × c5.2xlarge 0.34 × 730 = 744.60;
        // 2 × c5.xlarge 0.17 × 730 = 248.20; NAT gateways in three zones 98.55.
        assertThat(cluster(fleet, "search", "search-prod").monthly()).isEqualByComparingTo("1511.83");
        // kind-sandbox: containers at 0 are priced, not unknown.
        assertThat(cluster(fleet, "search", "kind-sandbox").monthly()).isEqualByComparingTo("0.00");
        // shared-dev-host: large-16c-64g 16 × 0.0125 + 64 × 0.0017 = 0.3088/h × 3 × 730 = 676.272 → 676.27;
        // control plane 3 × small-4c-16g (4 × 0.0125 + 16 × 0.0017 = 0.0772/h) × 730 = 169.068 → 169.07: 845.34.
        // notebooks-dev asks 8 of 48 vCPU (16.7 %) and 16 of 192 GiB: 845.34 / 6 = 140.89.
        assertThat(cluster(fleet, "data-platform", "notebooks-dev").monthly()).isEqualByComparingTo("140.89");
        assertThat(cluster(fleet, "data-platform", "shared-dev-host").monthly()).isEqualByComparingTo("704.45");
    }

    @Test
    void extendedSupportIsBilledFromMidnightUtcOfTheEndOfStandardSupport() {
        var inputs = exampleInputs();
        var prod = new ClusterId("payments", "payments-prod");
        var clusters = new java.util.TreeMap<>(inputs.clusters());
        ClusterSpec spec = clusters.get(prod);
        clusters.put(prod, new ClusterSpec(spec.flavor(), spec.environment(), spec.region(), java.util.Optional.of("1.34.2"),
                spec.nodePools(), spec.variables(), spec.hibernation(), spec.ttl(), spec.addons()));
        java.util.function.Function<String, ClusterCost> at = instant -> FleetCost.compute(new CostInputs(inputs.teams(),
                inputs.flavors(), inputs.priceBooks(), clusters, java.time.Instant.parse(instant))).clusters().get(prod);
        // EKS 1.34: end of standard support 2026-12-02 (the example flavor's lifecycle, from the EKS calendar).
        assertThat(at.apply("2026-12-01T23:59:59Z").monthly()).isEqualByComparingTo("891.33");
        ClusterCost extended = at.apply("2026-12-02T00:00:00Z");
        assertThat(extended.monthly()).isEqualByComparingTo("1256.33");
        assertThat(extended.lines()).anySatisfy(line ->
                assertThat(line.detail()).contains("0.60/h (Kubernetes 1.34, deprecated since 2026-12-02)"));
        // A memo kept across the boundary prices again: a lifecycle stage started.
        var memo = new EstimateMemo();
        FleetCost.compute(new CostInputs(inputs.teams(), inputs.flavors(), inputs.priceBooks(), clusters,
                java.time.Instant.parse("2026-12-01T23:00:00Z")), memo);
        assertThat(FleetCost.compute(new CostInputs(inputs.teams(), inputs.flavors(), inputs.priceBooks(), clusters,
                java.time.Instant.parse("2026-12-02T01:00:00Z")), memo).clusters().get(prod).monthly()).isEqualByComparingTo("1256.33");
    }

    @Test
    void teamTotalsAreTheSumsOfTheirClusters() {
        FleetCost fleet = exampleFleet();

        fleet.teams().forEach((name, team) -> assertThat(team.monthly()).as(name).isEqualByComparingTo(
                fleet.clustersOf(name).stream().map(ClusterCost::monthly).reduce(Money.ZERO, java.math.BigDecimal::add)));
        assertThat(fleet.platform().orElseThrow().shares().values().stream().reduce(Money.ZERO, java.math.BigDecimal::add))
                .isEqualByComparingTo("1050.00");
    }
}
