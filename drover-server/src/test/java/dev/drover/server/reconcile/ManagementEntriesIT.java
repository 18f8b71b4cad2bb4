package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.render.ManagementEntry;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.RenderedExamples;
import dev.drover.server.testing.TemporaryDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fleet repository's management tree against management clusters that serve only one provider's kinds, as
 * {@code clusterctl init} and the GitOps engine install them: each applies the teams, its provider's entry and that
 * entry's clusters' add-on objects without meeting an unknown kind, and refuses {@code management/} as a whole, which
 * needs every provider.
 */
class ManagementEntriesIT {

    private static TemporaryDirectory fleet;

    @BeforeAll
    static void render() throws IOException {
        Kubectl.requireInstalled();
        fleet = RenderedExamples.render("drover-fleet-");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** Each entry, the CRD directories its management cluster has, and one object its entry must create. */
    static Stream<Arguments> entries() {
        return Stream.of(
                Arguments.of(ManagementEntry.DOCKER, List.of("cluster-api", "capd", "flux"),
                        "dockercluster.infrastructure.cluster.x-k8s.io/kind-sandbox serverside-applied"),
                Arguments.of(ManagementEntry.AWS, List.of("cluster-api", "capa", "flux"),
                        "awsclusterroleidentity.infrastructure.cluster.x-k8s.io/payments-production serverside-applied"),
                Arguments.of(ManagementEntry.VSPHERE, List.of("cluster-api", "capv", "ipam-in-cluster", "argocd"),
                        "vspherecluster.infrastructure.cluster.x-k8s.io/lakehouse-prod serverside-applied"),
                Arguments.of(ManagementEntry.VCLUSTER, List.of("cluster-api", "vcluster", "flux"),
                        "vcluster.infrastructure.cluster.x-k8s.io/notebooks-dev serverside-applied"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void theTeamsAndTheEntryApplyWhereOnlyItsProviderAndGitOpsEngineRun(ManagementEntry entry, List<String> crds,
                                                                       String created) throws IOException {
        try (ManagementTestEnv management = ManagementTestEnv.startWithOrSkip(crds)) {
            Kubectl kubectl = management.kubectl();
            // The Argo CD Applications go to its namespace, which installing Argo CD creates.
            kubectl.run("create", "namespace", "argocd").succeeded();
            kubectl.run("apply", "--server-side", "-k", fleet.path().resolve("management/teams").toString()).succeeded();
            String applied = kubectl.run("apply", "--server-side", "-k",
                    fleet.path().resolve("management/" + entry.directoryName()).toString()).succeeded().out();
            assertThat(applied).contains(created);
            for (Path addons : addonDirectories(entry)) {
                kubectl.run("apply", "--server-side", "-k", addons.toString()).succeeded();
            }
            Kubectl.Result everything = kubectl.run("apply", "--server-side", "--dry-run=server", "-k",
                    fleet.path().resolve("management").toString());
            assertThat(everything.exitCode()).as("management/ as a whole on a " + entry + " management cluster").isNotZero();
            assertThat(everything.err()).contains("no matches for kind");
        }
    }

    /** The add-on directories of the entry's clusters, applied on the management cluster like the entry itself. */
    private static List<Path> addonDirectories(ManagementEntry entry) throws IOException {
        Path clusters = fleet.path().resolve("management/" + entry.directoryName() + "/clusters");
        try (Stream<Path> paths = Files.walk(clusters, 2)) {
            return paths.filter(path -> clusters.relativize(path).getNameCount() == 2)
                    .map(path -> fleet.path().resolve("clusters").resolve(clusters.relativize(path)).resolve("addons"))
                    .filter(Files::isDirectory).sorted().toList();
        }
    }
}
