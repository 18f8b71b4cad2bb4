package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FleetRendererTest {

    private static final ClusterId SEARCH_PROD = new ClusterId("search", "search-prod");
    private static final ClusterId LAKEHOUSE = new ClusterId("data-platform", "lakehouse-prod");

    @Test
    void aChangedPoolMakesANewMachineTemplateAndTouchesOnlyThatClustersWorkers() {
        FleetSnapshot before = ExampleFleet.snapshot();
        FleetSnapshot after = ExampleFleet.withCluster(before, SEARCH_PROD, spec -> ExampleFleet.withPools(spec, spec.nodePools().stream()
                .map(pool -> pool.name().equals("query") ? new NodePool(pool.name(), "c5.2xlarge", pool.minSize(),
                        pool.maxSize(), pool.capacityType(), pool.labels()) : pool).toList()));
        Map<String, String> old = FleetRenderer.render(before).files();
        Map<String, String> changed = new TreeMap<>(FleetRenderer.render(after).files());
        changed.entrySet().removeIf(entry -> entry.getValue().equals(old.get(entry.getKey())));
        assertThat(changed).containsOnlyKeys("management/aws/clusters/search/search-prod/workers.yaml");
        String workers = changed.values().iterator().next();
        assertThat(workers).contains("instanceType: c5.2xlarge");
        String oldTemplate = templateName(old.get("management/aws/clusters/search/search-prod/workers.yaml"), "search-prod-query-");
        assertThat(templateName(workers, "search-prod-query-")).isNotEqualTo(oldTemplate).matches("search-prod-query-[0-9a-f]{8}");
    }

    @Test
    void aClusterWhoseFlavorIsGoneFailsWithAMessageAndTheOthersStillRender() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var flavors = new TreeMap<>(examples.flavors());
        flavors.remove("aws-kubeadm");
        RenderedFleet fleet = FleetRenderer.render(new FleetSnapshot(examples.teams(), flavors, examples.profiles(), examples.clusters(), examples.settings(), examples.pools(), examples.applications()));
        assertThat(fleet.failures()).containsOnlyKeys(SEARCH_PROD, new ClusterId("search", "search-dev"));
        assertThat(fleet.failures().get(SEARCH_PROD).reason()).isEqualTo("FlavorNotFound");
        assertThat(fleet.failures().get(SEARCH_PROD).message()).contains("aws-kubeadm", "kubectl patch cluster search-prod -n search");
        assertThat(fleet.files()).containsKey("management/aws/clusters/payments/payments-prod/cluster.yaml")
                .doesNotContainKey("management/aws/clusters/search/search-prod/cluster.yaml");
        assertThat(fleet.files()).doesNotContainKey("management/aws/clusters/search/kustomization.yaml");
    }

    @Test
    void valuesAdmissionWouldRefuseFailOnlyTheirOwnCluster() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        FleetSnapshot broken = ExampleFleet.withCluster(examples, LAKEHOUSE, spec -> {
            var tree = Json.toTree(spec);
            tree.withObjectProperty("variables").put("diskGiB", "forty");
            return Json.bind(tree, dev.drover.model.api.ClusterSpec.class);
        });
        RenderedFleet fleet = FleetRenderer.render(broken);

        assertThat(fleet.failures()).containsOnlyKeys(LAKEHOUSE);
        assertThat(fleet.failures().get(LAKEHOUSE).reason()).isEqualTo("ProviderSettingInvalid");
        assertThat(fleet.failures().get(LAKEHOUSE).message()).contains("diskGiB", "whole number");
        assertThat(fleet.files()).containsKey("management/aws/clusters/payments/payments-prod/cluster.yaml");
    }

    @Test
    void anAwsClusterWithoutTheTeamsCloudAccountSaysWhichSettingIsMissing() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var teams = new TreeMap<>(examples.teams());
        TeamSpec search = teams.get("search");
        teams.put("search", new TeamSpec(search.displayName(), search.owners(), search.groups(), search.costCenter(),
                search.budget(), search.quotas(), List.of(new TeamSpec.Environment("development", Optional.empty()),
                new TeamSpec.Environment("production", Optional.empty())), search.bootstrapSecrets(), search.lifetime(), search.maintenance()));
        ClusterOutcome outcome = FleetRenderer.renderCluster(new FleetSnapshot(teams, examples.flavors(), examples.profiles(),
                examples.clusters(), examples.settings(), examples.pools(), examples.applications()), SEARCH_PROD);
        assertThat(outcome).isInstanceOfSatisfying(ClusterOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("CloudAccountMissing");
            assertThat(failed.message()).contains("team \"search\"", "\"production\"", "cloudAccount.roleArn");
        });
    }

    @Test
    void anEksEndpointAllowListThatIsNotCidrBlocksIsRefusedNamingTheSetting() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var flavors = new TreeMap<>(examples.flavors());
        var eks = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(flavors.get("eks-standard"));
        eks.withObjectProperty("providerSettings").put("publicEndpointCidrs", "203.0.113.0/24, office");
        flavors.put("eks-standard", Json.bind(eks, ClusterFlavorSpec.class));
        ClusterOutcome outcome = FleetRenderer.renderCluster(new FleetSnapshot(examples.teams(), flavors, examples.profiles(),
                examples.clusters(), examples.settings(), examples.pools(), examples.applications()), new ClusterId("payments", "payments-prod"));
        assertThat(outcome).isInstanceOfSatisfying(ClusterOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("ProviderSettingInvalid");
            assertThat(failed.message()).contains("publicEndpointCidrs", "\"office\"", "203.0.113.0/24");
        });
    }

    @Test
    void aPoolNameThatMakesTooLongAnObjectNameIsRefusedWithTheLength() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var clusters = new TreeMap<>(examples.clusters());
        var longName = new ClusterId("data-platform", "lakehouse-production-analytics");
        clusters.put(longName, new ClusterRequest(longName, ExampleFleet.withPools(clusters.get(LAKEHOUSE).spec(),
                List.of(new NodePool("a-very-long-pool-name-for-batch-workers", "medium-8c-32g", 1, 2, Optional.empty(), Map.of()))),
                clusters.get(LAKEHOUSE).labels()));
        ClusterOutcome.Failed failed = (ClusterOutcome.Failed) FleetRenderer.renderCluster(
                new FleetSnapshot(examples.teams(), examples.flavors(), examples.profiles(), clusters, examples.settings(), examples.pools(), examples.applications()), longName);
        assertThat(failed.reason()).isEqualTo("NameTooLong");
        assertThat(failed.message()).contains("at most 63");
    }

    /** The name of the AWSMachineTemplate document whose name starts with the prefix. */
    private static String templateName(String workers, String prefix) {
        for (String document : workers.split("---\n")) {
            if (document.lines().skip(1).findFirst().orElse("").equals("kind: AWSMachineTemplate")) {
                String name = document.lines().map(String::strip).filter(line -> line.startsWith("name: " + prefix))
                        .findFirst().orElse("");
                if (!name.isEmpty()) {
                    return name.substring("name: ".length());
                }
            }
        }
        throw new AssertionError("no AWSMachineTemplate " + prefix + "* in\n" + workers);
    }

}
