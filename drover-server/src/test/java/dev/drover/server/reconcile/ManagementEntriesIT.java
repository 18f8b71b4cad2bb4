package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetRenderer;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.TemporaryDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet repository's management tree against a management cluster that serves only what kind gets from
 * {@code clusterctl init --infrastructure docker} and {@code flux install}: Cluster API, the Docker provider and Flux.
 * It applies the teams and the docker entry, and the docker cluster's add-ons, without meeting an unknown kind;
 * the whole {@code management/} needs every provider.
 */
class ManagementEntriesIT {

    private static ManagementTestEnv kind;
    private static TemporaryDirectory fleet;

    @BeforeAll
    static void renderAndStart() throws IOException {
        Kubectl.requireInstalled();
        kind = ManagementTestEnv.startWithOrSkip(List.of("cluster-api", "capd", "flux"));
        fleet = new TemporaryDirectory("drover-fleet-");
        for (Map.Entry<String, String> file : FleetRenderer.render(ExampleFleet.snapshot()).files().entrySet()) {
            Path path = fleet.path().resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }

    @AfterAll
    static void stop() {
        if (kind != null) {
            kind.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theTeamsAndTheDockerEntryApplyWhereOnlyClusterApiTheDockerProviderAndFluxRun() {
        Kubectl kubectl = kind.kubectl();
        kubectl.run("apply", "--server-side", "-k", fleet.path().resolve("management/teams").toString()).succeeded();
        String applied = kubectl.run("apply", "--server-side", "-k", fleet.path().resolve("management/docker").toString())
                .succeeded().out();
        assertThat(applied).contains("cluster.cluster.x-k8s.io/kind-sandbox serverside-applied",
                "dockercluster.infrastructure.cluster.x-k8s.io/kind-sandbox serverside-applied",
                "kustomization.kustomize.toolkit.fluxcd.io/kind-sandbox-addons serverside-applied");
        kubectl.run("apply", "--server-side", "-k", fleet.path().resolve("clusters/search/kind-sandbox/addons").toString())
                .succeeded();
        assertThat(kubectl.run("get", "helmreleases.helm.toolkit.fluxcd.io", "-n", "search", "-o", "name").succeeded().out())
                .contains("helmrelease.helm.toolkit.fluxcd.io/kind-sandbox-cilium");
    }

    @Test
    void theWholeManagementTreeNeedsEveryProvider() {
        Kubectl.Result everything = kind.kubectl().run("apply", "--server-side", "--dry-run=server", "-k",
                fleet.path().resolve("management").toString());
        assertThat(everything.exitCode()).isNotZero();
        assertThat(everything.err()).contains("AWSClusterRoleIdentity");
    }
}
