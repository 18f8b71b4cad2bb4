package dev.drover.model.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Estimates checked against figures computed by hand (in the comments) from a small price book. */
class FleetCostTest {

    private static final String BOOK = """
            {'default':true,'currency':'USD',
             'machines':[
               {'providers':['aws','aws-eks'],'region':'us-east-1','instanceTypes':[
                 {'name':'m6i.large','hourly':0.096,'vcpu':2,'memoryGiB':8},
                 {'name':'m5.xlarge','hourly':0.192,'vcpu':4,'memoryGiB':16},
                 {'name':'c5.xlarge','hourly':0.17,'vcpu':4,'memoryGiB':8}]},
               {'providers':['vsphere'],'rateCard':{'vcpuHourly':0.01,'memoryGiBHourly':0.002},'instanceTypes':[
                 {'name':'small-4c-16g','vcpu':4,'memoryGiB':16},
                 {'name':'large-16c-64g','vcpu':16,'memoryGiB':64}]}],
             'spot':{'defaultDiscount':0.6,'families':{'m6i':0.65}},
             'controlPlanes':[{'provider':'aws-eks','hourly':0.10}],
             'lineItems':[{'name':'nat-gateway','providers':['aws','aws-eks'],'monthly':32.85}],
             'platform':{'allocation':'nodeHours','lineItems':[{'name':'management-cluster','monthly':600},{'name':'observability','monthly':400}]}}""";

    private static final String EKS = """
            {'provider':'aws-eks','environments':['development','staging','production'],
             'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4']},'regions':['us-east-1'],
             'instanceTypes':['m6i.large','c6i.2xlarge']}""";
    private static final String KUBEADM = """
            {'provider':'aws','environments':['development','production'],
             'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4']},'regions':['us-east-1'],
             'instanceTypes':['m5.large','c5.xlarge'],
             'variables':[{'name':'controlPlaneInstanceType','type':'string','default':'m5.large'}]}""";
    private static final String VSPHERE = """
            {'provider':'vsphere','environments':['development','production'],
             'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4']},'regions':['fra-dc1'],
             'instanceTypes':['small-4c-16g','large-16c-64g']}""";
    private static final String VCLUSTER = """
            {'provider':'vcluster','environments':['development'],
             'kubernetesVersions':{'default':'1.31.4','allowed':['1.31.4']},'instanceTypes':['virtual'],
             'variables':[{'name':'cpuQuota','type':'integer','default':4},{'name':'memoryQuotaGi','type':'integer','default':8}],
             'providerSettings':{'hostCluster':'shared-host','hostClusterNamespace':'data'}}""";

    private static <T> T spec(String json, Class<T> type) {
        return Json.bind(Json.parseObject(json.replace('\'', '"')), type);
    }

    private static CostInputs inputs(Map<ClusterId, String> clusters) {
        return inputs(clusters, BOOK);
    }

    private static CostInputs inputs(Map<ClusterId, String> clusters, String book) {
        var teams = new TreeMap<String, TeamSpec>();
        for (String team : List.of("payments", "search", "data")) {
            teams.put(team, spec("{'environments':[{'name':'development'}],'budget':{'monthly':1000}}", TeamSpec.class));
        }
        var flavors = new TreeMap<String, ClusterFlavorSpec>(Map.of("eks", spec(EKS, ClusterFlavorSpec.class),
                "kubeadm", spec(KUBEADM, ClusterFlavorSpec.class), "vsphere", spec(VSPHERE, ClusterFlavorSpec.class),
                "vcluster", spec(VCLUSTER, ClusterFlavorSpec.class)));
        var specs = new TreeMap<ClusterId, ClusterSpec>();
        clusters.forEach((id, json) -> specs.put(id, spec(json, ClusterSpec.class)));
        return new CostInputs(teams, flavors, new TreeMap<>(Map.of("standard", spec(book, PriceBookSpec.class))), specs, dev.drover.model.render.ExampleFleet.PRICED_AT);
    }

    private static Map<String, String> lines(ClusterCost cost) {
        var lines = new TreeMap<String, String>();
        cost.lines().forEach(line -> lines.put(line.item(), line.monthly().toPlainString()));
        return lines;
    }

    private static final ClusterId CHECKOUT = new ClusterId("payments", "checkout");
    private static final ClusterId INDEXER = new ClusterId("search", "indexer");
    private static final ClusterId LAKEHOUSE = new ClusterId("data", "shared-host");
    private static final ClusterId NOTEBOOKS = new ClusterId("data", "notebooks");
    private static final ClusterId PLAYGROUND = new ClusterId("payments", "playground");

    private static final String CHECKOUT_SPEC = """
            {'flavor':'eks','environment':'production','region':'us-east-1','nodePools':[
              {'name':'general','instanceType':'m6i.large','minSize':3,'maxSize':6},
              {'name':'batch','instanceType':'m6i.large','minSize':2,'maxSize':10,'capacityType':'spot'}]}""";
    private static final String INDEXER_SPEC = """
            {'flavor':'kubeadm','environment':'production','region':'us-east-1','variables':{'controlPlaneInstanceType':'m5.xlarge'},
             'nodePools':[{'name':'workers','instanceType':'c5.xlarge','minSize':2,'maxSize':4}]}""";
    private static final String LAKEHOUSE_SPEC = """
            {'flavor':'vsphere','environment':'development','region':'fra-dc1',
             'nodePools':[{'name':'workers','instanceType':'large-16c-64g','minSize':4,'maxSize':8}]}""";
    private static final String NOTEBOOKS_SPEC = """
            {'flavor':'vcluster','environment':'development','variables':{'cpuQuota':8,'memoryQuotaGi':16},
             'nodePools':[{'name':'virtual','instanceType':'virtual','minSize':0,'maxSize':0}]}""";

    @Test
    void pricesEksControlPlaneOnDemandAndSpotPoolsAndLineItems() {
        ClusterCost cost = FleetCost.compute(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC))).clusters().get(CHECKOUT);

        // control plane 0.10 × 730 = 73.00; general 3 × 0.096 × 730 = 210.24;
        // batch 2 × 0.096 × 730 × (1 − 0.65, the m6i family discount) = 49.056 → 49.06; NAT gateway 32.85.
        assertThat(lines(cost)).containsExactlyInAnyOrderEntriesOf(Map.of("control-plane", "73.00",
                "node-pool/general", "210.24", "node-pool/batch", "49.06", "nat-gateway", "32.85"));
        assertThat(cost.monthly()).isEqualByComparingTo("365.15");
        assertThat(cost.known()).isTrue();
        assertThat(cost.nodeHours()).isEqualByComparingTo("3650");
    }

    @Test
    void pricesSelfManagedControlPlaneByItsMachines() {
        ClusterCost cost = FleetCost.compute(inputs(Map.of(INDEXER, INDEXER_SPEC))).clusters().get(INDEXER);

        // 3 × m5.xlarge 0.192 × 730 = 420.48 (no fee for aws); workers 2 × 0.17 × 730 = 248.20; NAT 32.85.
        assertThat(lines(cost)).containsExactlyInAnyOrderEntriesOf(Map.of("control-plane-machines", "420.48",
                "node-pool/workers", "248.20", "nat-gateway", "32.85"));
        assertThat(cost.monthly()).isEqualByComparingTo("701.53");
    }

    @Test
    void pricesOnPremMachinesByTheRateCard() {
        ClusterCost cost = FleetCost.compute(inputs(Map.of(LAKEHOUSE, LAKEHOUSE_SPEC))).clusters().get(LAKEHOUSE);

        // large-16c-64g: 16 × 0.01 + 64 × 0.002 = 0.288/h; small-4c-16g (the control plane): 0.04 + 0.032 = 0.072/h.
        // control plane 3 × 0.072 × 730 = 157.68; workers 4 × 0.288 × 730 = 840.96; no NAT item for vsphere.
        assertThat(lines(cost)).containsExactlyInAnyOrderEntriesOf(Map.of("control-plane-machines", "157.68",
                "node-pool/workers", "840.96"));
        assertThat(cost.monthly()).isEqualByComparingTo("998.64");
    }

    @Test
    void chargesAVirtualClusterItsShareOfTheHostAndTakesItOffTheHost() {
        FleetCost fleet = FleetCost.compute(inputs(Map.of(LAKEHOUSE, LAKEHOUSE_SPEC, NOTEBOOKS, NOTEBOOKS_SPEC)));

        // Host: 4 × (16 vCPU, 64 GiB) = 64 vCPU, 256 GiB. Quota 8 vCPU (12.5 %), 16 GiB (6.25 %): the larger, 12.5 %.
        // 998.64 × 0.125 = 124.83 moves from the host to the virtual cluster.
        assertThat(lines(fleet.clusters().get(NOTEBOOKS))).containsExactlyEntriesOf(Map.of("host-share", "124.83"));
        assertThat(lines(fleet.clusters().get(LAKEHOUSE))).containsEntry("virtual-clusters", "-124.83");
        assertThat(fleet.clusters().get(LAKEHOUSE).monthly()).isEqualByComparingTo("873.81");
        assertThat(fleet.teams().get("data").monthly()).isEqualByComparingTo("998.64");
    }

    @Test
    void splitsAnOvercommittedHostInProportionToTheQuotasInsteadOfCountingItTwice() {
        String big = NOTEBOOKS_SPEC.replace("'cpuQuota':8", "'cpuQuota':48");
        FleetCost fleet = FleetCost.compute(inputs(Map.of(LAKEHOUSE, LAKEHOUSE_SPEC, NOTEBOOKS, big,
                new ClusterId("data", "notebooks-2"), big)));

        // Each asks 48 of 64 vCPU (75 %); together 150 %, so each gets half: 998.64 / 2 = 499.32.
        assertThat(fleet.clusters().get(NOTEBOOKS).monthly()).isEqualByComparingTo("499.32");
        assertThat(fleet.clusters().get(LAKEHOUSE).monthly()).isEqualByComparingTo("0.00");
        assertThat(fleet.teams().get("data").monthly()).isEqualByComparingTo("998.64");
    }

    @Test
    void hibernationTakesTheSleepingHoursOffTheNodePoolsOnly() {
        String hibernating = """
                {'flavor':'eks','environment':'development','region':'us-east-1',
                 'nodePools':[{'name':'general','instanceType':'m6i.large','minSize':1,'maxSize':4,'capacityType':'spot'}],
                 'hibernation':{'timeZone':'Europe/Berlin','windows':[{'days':['Mon','Tue','Wed','Thu','Fri'],'start':'20:00','end':'07:00'}]}}""";
        ClusterCost cost = FleetCost.compute(inputs(Map.of(PLAYGROUND, hibernating))).clusters().get(PLAYGROUND);

        // 5 nights × 11 h = 55 of 168 h asleep: 730 × 113/168 = 491.0119 h.
        // 1 × 0.096 × 491.0119 × 0.35 = 16.498 → 16.50; the control plane runs all 730 h: 73.00.
        assertThat(lines(cost)).containsExactlyInAnyOrderEntriesOf(Map.of("control-plane", "73.00",
                "node-pool/general", "16.50", "nat-gateway", "32.85"));
        assertThat(cost.nodeHours().setScale(4, java.math.RoundingMode.HALF_EVEN)).isEqualByComparingTo("491.0119");
    }

    @Test
    void overlappingWindowsAreCountedOnce() {
        var hibernation = new ClusterSpec.Hibernation(List.of(
                new ClusterSpec.Window(List.of(ClusterSpec.Weekday.SUNDAY), "22:00", "06:00"),
                new ClusterSpec.Window(List.of(ClusterSpec.Weekday.MONDAY), "00:00", "08:00")), Optional.empty());

        // Sunday 22:00 to Monday 08:00: 10 hours, although the windows add up to 16.
        assertThat(AwakeTime.awakeMinutesPerWeek(Optional.of(hibernation))).isEqualTo(AwakeTime.MINUTES_PER_WEEK - 600);
    }

    @Test
    void averageExpectedNodesWhenTheFlavorSaysSo() {
        String averaging = EKS.replace("'regions'", "'cost':{'expectedNodes':'average'},'regions'");
        CostInputs base = inputs(Map.of(CHECKOUT, CHECKOUT_SPEC));
        var flavors = new TreeMap<>(base.flavors());
        flavors.put("eks", spec(averaging, ClusterFlavorSpec.class));
        ClusterCost cost = FleetCost.compute(new CostInputs(base.teams(), flavors, base.priceBooks(), base.clusters(), base.at()))
                .clusters().get(CHECKOUT);

        // general (3 + 6) / 2 = 4.5 × 0.096 × 730 = 315.36; batch 6 × 0.096 × 730 × 0.35 = 147.168 → 147.17.
        assertThat(lines(cost)).containsEntry("node-pool/general", "315.36").containsEntry("node-pool/batch", "147.17");
    }

    @Test
    void namesWhatIsUnpricedInsteadOfCountingItAsZero() {
        String elsewhere = CHECKOUT_SPEC.replace("us-east-1", "eu-west-1");
        ClusterCost cost = FleetCost.compute(inputs(Map.of(CHECKOUT, elsewhere))).clusters().get(CHECKOUT);

        assertThat(cost.known()).isFalse();
        assertThat(cost.unpriced()).containsExactly(
                "node-pool/general: PriceBook \"standard\" has no price for m6i.large in eu-west-1 (provider aws-eks)",
                "node-pool/batch: PriceBook \"standard\" has no price for m6i.large in eu-west-1 (provider aws-eks)");
        // The control plane 73.00 and the NAT gateway 32.85 are priced; the pools are left out, not zero.
        assertThat(cost.monthly()).isEqualByComparingTo("105.85");
        assertThat(CostStatuses.summary(cost.monthly(), Optional.of("USD"), cost.known())).isEqualTo("105.85+ USD");
    }

    @Test
    void withoutADefaultPriceBookNothingIsPriced() {
        ClusterCost cost = FleetCost.compute(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC), BOOK.replace("'default':true", "'default':false")))
                .clusters().get(CHECKOUT);

        assertThat(cost.known()).isFalse();
        assertThat(cost.unpriced()).singleElement().asString().contains("there is no default PriceBook");
    }

    @Test
    void allocatesThePlatformByNodeHoursAndKeepsItApartFromTheTeamsOwnCost() {
        FleetCost fleet = FleetCost.compute(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC, INDEXER, INDEXER_SPEC)));

        // Node-hours: checkout 5 × 730 = 3650, indexer 2 × 730 = 1460 (control-plane machines are not nodes).
        // 1000 × 3650 / 5110 = 714.2857 → 714.28 (+1 cent, the larger remainder) = 714.29; 1000 × 1460 / 5110 = 285.71.
        assertThat(fleet.platform()).get().satisfies(platform -> {
            assertThat(platform.monthly()).isEqualByComparingTo("1000.00");
            assertThat(platform.shares()).containsEntry("payments", new BigDecimal("714.29")).containsEntry("search", new BigDecimal("285.71"));
        });
        assertThat(fleet.teams().get("payments").monthly()).isEqualByComparingTo("365.15");
        assertThat(fleet.teams().get("payments").platformShare()).isEqualByComparingTo("714.29");
        assertThat(fleet.teams().get("data").platformShare()).isEqualByComparingTo("0.00");
    }

    @Test
    void allocatesThePlatformEvenlyToTeamsWithClusters() {
        FleetCost fleet = FleetCost.compute(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC, INDEXER, INDEXER_SPEC, LAKEHOUSE, LAKEHOUSE_SPEC),
                BOOK.replace("'nodeHours'", "'even'")));

        // 1000 / 3 = 333.33 each and the cent left over to the first team in name order.
        assertThat(fleet.platform().orElseThrow().shares()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "data", new BigDecimal("333.34"), "payments", new BigDecimal("333.33"), "search", new BigDecimal("333.33"))));
    }

    @Test
    void splitsTeamCostByEnvironmentAndProduction() {
        FleetCost fleet = FleetCost.compute(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC,
                PLAYGROUND, CHECKOUT_SPEC.replace("production", "staging"))));

        TeamCost payments = fleet.teams().get("payments");
        assertThat(payments.production()).isEqualByComparingTo("365.15");
        assertThat(payments.nonProduction()).isEqualByComparingTo("365.15");
        assertThat(payments.environments()).containsOnlyKeys("production", "staging");
        assertThat(payments.monthly()).isEqualByComparingTo("730.30");
        assertThat(payments.budgetUsed()).get().satisfies(used -> assertThat(Money.percent(used)).isEqualTo("73.0 %"));
    }

    @Test
    void everyGroupingAddsUpToTheSameTotal() {
        FleetCost fleet = FleetCost.compute(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC, INDEXER, INDEXER_SPEC, LAKEHOUSE, LAKEHOUSE_SPEC,
                NOTEBOOKS, NOTEBOOKS_SPEC, PLAYGROUND, CHECKOUT_SPEC.replace("production", "development"))));
        BigDecimal sumOfClusters = fleet.clusters().values().stream().map(ClusterCost::monthly).reduce(BigDecimal.ZERO, BigDecimal::add);

        for (CostReport.GroupBy by : CostReport.GroupBy.values()) {
            CostReport report = CostReport.of(fleet, by, Optional.empty());
            assertThat(report.total()).as(by.wireName()).isEqualByComparingTo(sumOfClusters);
            assertThat(report.rows().stream().map(CostReport.Row::monthly).reduce(BigDecimal.ZERO, BigDecimal::add))
                    .as(by.wireName()).isEqualByComparingTo(sumOfClusters);
            assertThat(report.clusters()).isEqualTo(5);
        }
        // 365.15 × 2 + 701.53 + 998.64 (the host and its virtual cluster together)
        assertThat(sumOfClusters).isEqualByComparingTo("2430.47");
        CostReport payments = CostReport.of(fleet, CostReport.GroupBy.ENVIRONMENT, Optional.of("payments"));
        assertThat(payments.total()).isEqualByComparingTo("730.30");
        assertThat(payments.platform()).isEqualByComparingTo(fleet.platform().orElseThrow().shares().get("payments"));
    }

    @Test
    void whatIfSpotForNonProductionGivesTheSavingPerTeam() {
        String staging = CHECKOUT_SPEC.replace("production", "staging");
        WhatIf.Answer answer = new WhatIf(List.of(), true, Optional.of(new BigDecimal("0.7")), false)
                .answer(inputs(Map.of(CHECKOUT, CHECKOUT_SPEC, PLAYGROUND, staging)));

        // Only the staging cluster: general 3 × 0.096 × 730 × (1 − 0.7 × 0.65) = 210.24 × 0.545 = 114.5808 → 114.58;
        // batch is all spot already and stays 49.06. Saving 210.24 − 114.58 = 95.66.
        assertThat(answer.teams()).filteredOn(team -> team.team().equals("payments")).singleElement().satisfies(team -> {
            assertThat(team.saving()).isEqualByComparingTo("95.66");
            assertThat(team.clustersAffected()).isEqualTo(1);
        });
        assertThat(answer.saving()).isEqualByComparingTo("95.66");
    }

    @Test
    void whatIfHibernatingDevelopmentNightsAndWeekends() {
        String development = CHECKOUT_SPEC.replace("production", "development");
        WhatIf.Answer answer = new WhatIf(List.of("development"), false, Optional.empty(), true)
                .answer(inputs(Map.of(PLAYGROUND, development)));

        // Asleep 5 × 12 h + 48 h = 108 of 168 h: the pools run 730 × 60/168 = 260.714 h instead of 730.
        // general 3 × 0.096 × 260.714 = 75.09; batch 2 × 0.096 × 260.714 × 0.35 = 17.52; before 210.24 + 49.06.
        assertThat(answer.saving()).isEqualByComparingTo(new BigDecimal("259.30").subtract(new BigDecimal("92.61")));
    }
}
