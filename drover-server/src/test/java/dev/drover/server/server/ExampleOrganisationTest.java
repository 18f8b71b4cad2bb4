package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example organisation covers what a newcomer should see (that every object is accepted is checked by the ITs). */
class ExampleOrganisationTest {

    private static List<JsonNode> ofKind(String kind) {
        return ExampleOrganisation.objects().stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
    }

    @Test
    void hasThreeTeamsWithBudgetsAndQuotas() {
        assertThat(ofKind("Team")).hasSize(3).allSatisfy(team -> {
            assertThat(team.path("spec").path("budget").path("monthly").isNumber()).isTrue();
            assertThat(team.path("spec").path("quotas").path("clusters").asInt()).isPositive();
            assertThat(team.path("spec").path("quotas").path("nodes").asInt()).isPositive();
        });
    }

    @Test
    void hasAFlavorPerProvider() {
        assertThat(ofKind("ClusterFlavor")).extracting(flavor -> flavor.path("spec").path("provider").asText())
                .containsExactlyInAnyOrder("aws-eks", "aws", "vsphere", "vcluster", "docker");
    }

    @Test
    void hasAboutEightClustersAcrossThreeEnvironments() {
        List<JsonNode> clusters = ofKind("Cluster");
        assertThat(clusters).hasSizeBetween(7, 10);
        assertThat(clusters).extracting(cluster -> cluster.path("spec").path("environment").asText())
                .contains("development", "staging", "production");
    }

    @Test
    void theLocalSelectionHoldsOnlyWhatKindBuilds() {
        List<JsonNode> local = ExampleOrganisation.objects(ExampleOrganisation.Selection.LOCAL);
        assertThat(local).filteredOn(object -> object.path("kind").asText().equals("ClusterFlavor"))
                .as("every flavor: the profiles pin versions for environments only the others allow").hasSameSizeAs(ofKind("ClusterFlavor"));
        assertThat(local).filteredOn(object -> object.path("kind").asText().equals("Cluster"))
                .extracting(cluster -> cluster.path("metadata").path("name").asText()).containsExactly("kind-sandbox");
        assertThat(local).filteredOn(object -> object.path("kind").asText().equals("Team"))
                .extracting(team -> team.path("metadata").path("name").asText()).containsExactly("search");
        assertThat(local).filteredOn(object -> object.path("kind").asText().equals("PriceBook")).isNotEmpty();
        assertThat(local).filteredOn(object -> object.path("kind").asText().equals("AddonProfile"))
                .hasSameSizeAs(ofKind("AddonProfile"));
    }
}
