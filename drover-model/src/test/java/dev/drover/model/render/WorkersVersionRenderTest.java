package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** While a minor upgrade moves the control plane first, the control plane renders the new version, the pools the old. */
class WorkersVersionRenderTest {

    @Test
    void thePoolsKeepTheirVersionWhileTheControlPlaneMoves() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        ClusterId id = new ClusterId("search", "search-prod");
        var clusters = new TreeMap<>(examples.clusters());
        ClusterRequest request = clusters.get(id);
        clusters.put(id, new ClusterRequest(id, request.spec().withVersionAndPools(Optional.of("1.32.1"), request.spec().nodePools()),
                request.labels(), false, Optional.empty(), Optional.of("1.31.4")));
        var snapshot = new FleetSnapshot(examples.teams(), examples.flavors(), examples.profiles(), clusters, examples.settings(), examples.pools(), examples.applications());
        var rendered = (ClusterOutcome.Rendered) FleetRenderer.renderCluster(snapshot, id);
        List<JsonNode> documents = rendered.files().values().stream().flatMap(content -> ExampleChartsTest.documents(content).stream())
                .toList();
        assertThat(documents).filteredOn(document -> document.path("kind").asText().equals("KubeadmControlPlane"))
                .singleElement().satisfies(plane -> assertThat(plane.path("spec").path("version").asText()).isEqualTo("v1.32.1"));
        assertThat(documents).filteredOn(document -> document.path("kind").asText().equals("MachineDeployment")).isNotEmpty()
                .allSatisfy(pool -> assertThat(pool.path("spec").path("template").path("spec").path("version").asText())
                        .isEqualTo("v1.31.4"));
    }
}
