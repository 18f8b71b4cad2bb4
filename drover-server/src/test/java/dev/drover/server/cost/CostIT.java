package dev.drover.server.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.server.ExampleOrganisation;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.MutableClock;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cost end to end on the example organisation: the COST columns, reports that add up, budget admission both ways,
 * estimates on dry runs, one currency per fleet, and a price change reaching every status. Ordered, because the
 * later tests change budgets and prices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CostIT {

    private static FleetChecks fleet;
    private static TestDrover drover;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        // A fixed day: the example EKS fee follows the version calendar, and the figures below are for 1.35 in standard support.
        drover = TestDrover.startFreshWithExamples(Map.of(), ExampleOrganisation.Selection.ALL,
                new MutableClock(Instant.parse("2026-12-02T12:00:00Z")));
        fleet = new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory("drover-cost-it-"));
        kubectl = fleet.kubectl();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    private static String cluster(String team, String name, String environment, String pools) {
        return """
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: %s, namespace: %s}
                spec:
                  flavor: eks-standard
                  environment: %s
                  nodePools: [%s]
                """.formatted(name, team, environment, pools);
    }

    private static Map<String, BigDecimal> clusterCosts() {
        Map<String, BigDecimal> costs = new TreeMap<>();
        for (JsonNode item : Json.parseObject(kubectl.run("get", "clusters", "-A", "-o", "json").succeeded().out()).path("items")) {
            costs.put(item.path("metadata").path("namespace").asText() + "/" + item.path("metadata").path("name").asText(),
                    new BigDecimal(item.path("status").path("cost").path("monthly").asText("0")));
        }
        return costs;
    }

    @Test
    @Order(1)
    void everyExampleClusterShowsItsMonthlyCost() throws Exception {
        fleet.awaitCluster("data-platform/notebooks-dev", status -> status.path("cost").path("monthly").asText().equals("140.89"));
        JsonNode prod = fleet.awaitCluster("payments/payments-prod", status -> status.has("cost"));
        assertThat(prod.path("cost").path("monthly").asText()).isEqualTo("891.33");
        assertThat(prod.path("cost").path("lines")).extracting(line -> line.path("item").asText())
                .containsExactly("control-plane", "node-pool/general", "node-pool/compute");
        assertThat(FleetChecks.condition(prod, "CostKnown").path("status").asText()).isEqualTo("True");

        String table = kubectl.run("get", "clusters", "-A").succeeded().out();
        assertThat(table).contains("COST", "891.33 USD", "1511.83 USD", "140.89 USD", "704.45 USD", "0.00 USD");
        assertThat(table.lines().skip(1)).hasSize(10).allSatisfy(line -> assertThat(line).contains(" USD"));
        fleet.awaitObject("teams", "search", status -> status.path("cost").path("monthly").asText().equals("2030.86"));
        assertThat(kubectl.run("get", "teams").succeeded().out()).contains("USED", "2030.86 USD", "92.3 %");
    }

    @Test
    @Order(2)
    void reportsAddUpToTheSumOfTheClustersInEveryGrouping() {
        BigDecimal sum = clusterCosts().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo("5682.00");
        for (String by : new String[] {"team", "environment", "cluster", "flavor", "provider"}) {
            JsonNode report = Json.parseObject(kubectl.run("get", "--raw", "/reports/cost?by=" + by).succeeded().out());
            BigDecimal rows = BigDecimal.ZERO;
            for (JsonNode row : report.path("rows")) {
                rows = rows.add(new BigDecimal(row.path("monthly").asText()));
            }
            assertThat(rows).as(by).isEqualByComparingTo(sum);
            assertThat(new BigDecimal(report.path("total").asText())).as(by).isEqualByComparingTo(sum);
        }

        DroverCli.Run byTeam = DroverCli.run(drover.kubeconfig(), "cost", "--by", "team");
        assertThat(byTeam.exitCode()).as(byTeam.err()).isZero();
        assertThat(byTeam.out()).containsPattern("payments\\s+3\\s+1227\\.82\\s+302\\.04")
                .containsPattern("TOTAL\\s+10\\s+5682\\.00\\s+1050\\.00");
        DroverCli.Run csv = DroverCli.run(drover.kubeconfig(), "cost", "--by", "cluster", "--team", "payments", "-o", "csv");
        assertThat(csv.out().lines()).containsExactly("cluster,clusters,monthly_usd", "payments/payments-dev,1,95.59",
                "payments/payments-prod,1,891.33", "payments/payments-staging,1,240.90");
    }

    @Test
    @Order(3)
    void aDryRunAnswersWithTheEstimateAndTheBudgetPosition() {
        Kubectl.Result dryRun = kubectl.runWithInput(cluster("payments", "payments-qa", "staging",
                "{name: general, instanceType: m6i.large, minSize: 2, maxSize: 4}"), "apply", "--dry-run=server", "-f", "-").succeeded();

        // Kubernetes 1.35 is in EKS standard support: 73.00 + 2 × 0.115 × 730 = 240.90; the team goes from 1227.82 to
        // 1468.72 of 3500.00.
        assertThat(dryRun.err()).contains("Warning: estimated cost of cluster payments-qa: 240.90 USD per month",
                "control-plane 73.00, node-pool/general 167.90", "team payments: 1227.82 to 1468.72 USD per month of a 3500.00 USD budget (42.0 %)");
        assertThat(kubectl.run("get", "cluster", "payments-qa", "-n", "payments").exitCode()).isNotZero();
    }

    @Test
    @Order(4)
    void refusesARequestOverAnEnforcedBudgetWithTheFiguresAndStoresNothing() {
        Kubectl.Result refused = kubectl.runWithInput(cluster("payments", "payments-batch", "production",
                "{name: compute, instanceType: c6i.2xlarge, minSize: 8, maxSize: 8}"), "create", "-f", "-");

        // 73.00 + 8 × 0.388 × 730 = 2338.92; 1227.82 + 2338.92 = 3566.74 > 3500.00.
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Forbidden", "exceeds the monthly budget of team \"payments\"", "current 1227.82 USD",
                "this change +2338.92", "after 3566.74 USD", "budget 3500.00 USD per month");
        assertThat(kubectl.run("get", "cluster", "payments-batch", "-n", "payments").exitCode()).isNotZero();

        Kubectl.Result resize = kubectl.run("patch", "cluster", "payments-staging", "-n", "payments", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/minSize\",\"value\":6},"
                        + "{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":20}]");
        // 6 × 0.115 × 730 = 503.70 + 73.00 = 576.70, up 335.80 from 240.90: 1563.62, within budget.
        assertThat(resize.exitCode()).as(resize.err()).isZero();
        Kubectl.Result tooBig = kubectl.run("patch", "cluster", "payments-staging", "-n", "payments", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":40},"
                        + "{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/minSize\",\"value\":40}]");
        // 40 × 0.115 × 730 = 3358.00 + 73.00 = 3431.00; 1563.62 - 576.70 + 3431.00 = 4417.92 > 3500.00.
        assertThat(tooBig.err()).contains("exceeds the monthly budget", "cluster payments-staging 576.70 to 3431.00");
    }

    @Test
    @Order(5)
    void acceptsARequestOverAWarnBudgetWithAWarningAndReportsTheTeamOverBudget() throws Exception {
        Kubectl.Result accepted = kubectl.runWithInput(cluster("search", "search-batch", "production",
                "{name: general, instanceType: m6i.large, minSize: 2, maxSize: 4}").replace("environment: production",
                "environment: production\n  region: us-east-1"), "create", "-f", "-");

        // 73.00 + 2 × 0.096 × 730 + 98.55 NAT = 311.71; 2030.86 + 311.71 = 2342.57 > 2200.00.
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(accepted.err()).contains("Warning: cluster search-batch takes team \"search\" over its monthly budget",
                "after 2342.57 USD", "budget policy warn");
        JsonNode team = fleet.awaitObject("teams", "search", status -> status.path("cost").path("monthly").asText().equals("2342.57"));
        assertThat(FleetChecks.condition(team, "BudgetExceeded").path("status").asText()).isEqualTo("True");
        assertThat(FleetChecks.condition(team, "BudgetWarning").path("status").asText()).isEqualTo("True");
        assertThat(team.path("cost").path("budgetUsed").asText()).isEqualTo("106.5 %");
    }

    @Test
    @Order(6)
    void keepsOneCurrencyAndOneDefaultPriceBook() {
        Kubectl.Result euroBudget = kubectl.run("patch", "team", "payments", "--type", "merge", "-p",
                "{\"spec\":{\"budget\":{\"monthly\":2500,\"currency\":\"EUR\"}}}");
        assertThat(euroBudget.err()).contains("spec.budget.currency", "clusters are priced in USD (PriceBook \"standard\")",
                "does not convert currencies");

        String book = """
                apiVersion: platform.drover.dev/v1alpha1
                kind: PriceBook
                metadata: {name: frankfurt}
                spec:
                  default: %s
                  currency: %s
                  machines:
                  - providers: [vsphere]
                    instanceTypes: [{name: small-4c-16g, hourly: 0.05}]
                """;
        Kubectl.Result euroBook = kubectl.runWithInput(book.formatted("false", "EUR"), "create", "-f", "-");
        assertThat(euroBook.err()).contains("spec.currency", "PriceBook \"standard\" prices in USD", "team \"payments\" budgets in USD");
        Kubectl.Result secondDefault = kubectl.runWithInput(book.formatted("true", "USD"), "create", "-f", "-");
        assertThat(secondDefault.err()).contains("spec.default", "PriceBook \"standard\" is already the default");
        assertThat(kubectl.run("get", "pricebooks", "-o", "name").succeeded().out().strip()).isEqualTo("pricebook.platform.drover.dev/standard");
    }

    @Test
    @Order(7)
    void aTeamTokenSeesOnlyItsOwnTeamsCost() {
        String token = DroverCli.run(drover.kubeconfig(), "token", "create", "--team", "data-platform").out().strip();

        JsonNode own = Json.parseObject(kubectl.run("--token", token, "get", "--raw", "/reports/cost?by=cluster").succeeded().out());
        assertThat(own.path("rows")).extracting(row -> row.path("key").asText()).allMatch(key -> key.startsWith("data-platform/"));
        assertThat(kubectl.run("--token", token, "get", "--raw", "/reports/cost?team=payments").err()).contains("Forbidden");
    }

    @Test
    @Order(8)
    void aMissingPriceIsNamedOnTheClusterInsteadOfCountedAsZero() throws Exception {
        JsonNode book = Json.parseObject(kubectl.run("get", "pricebook", "standard", "-o", "json").succeeded().out());
        int frankfurt = -1;
        for (int index = 0; index < book.path("spec").path("machines").size(); index++) {
            if (book.path("spec").path("machines").get(index).path("region").asText().equals("eu-central-1")) {
                frankfurt = index;
            }
        }
        kubectl.run("patch", "pricebook", "standard", "--type", "json", "-p",
                "[{\"op\":\"remove\",\"path\":\"/spec/machines/" + frankfurt + "\"}]").succeeded();

        JsonNode prod = fleet.awaitCluster("payments/payments-prod",
                status -> FleetChecks.condition(status, "CostKnown").path("status").asText().equals("False"));
        assertThat(FleetChecks.condition(prod, "CostKnown").path("message").asText())
                .contains("node-pool/general: PriceBook \"standard\" has no price for m6i.large in eu-central-1 (provider aws-eks)");
        assertThat(prod.path("cost").path("summary").asText()).isEqualTo("73.00+ USD");
        assertThat(kubectl.run("get", "cluster", "payments-prod", "-n", "payments").succeeded().out()).contains("73.00+ USD");
    }
}
