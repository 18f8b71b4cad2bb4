package dev.drover.server.application;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * What the example Applications render is accepted by a real kube-apiserver as a workload cluster: every cluster's
 * workload directory (its namespaces and the placeholders' PriorityClass) and then each application's directory,
 * applied with server-side apply as Flux does, kustomize patches included. Kubernetes' own kinds have no CRD to check
 * them against offline; the API server's validation is the schema.
 */
class ApplicationManifestsIT {

    private static TemporaryDirectory fleet;

    @BeforeAll
    static void render() throws IOException {
        Kubectl.requireInstalled();
        fleet = RenderedExamples.render("drover-apps-");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void everyApplicationDirectoryAppliesToAWorkloadClusterAfterItsTenancy() throws IOException {
        List<Path> applications;
        try (Stream<Path> paths = Files.walk(fleet.path().resolve("clusters"), 4)) {
            applications = paths.filter(path -> path.getParent() != null && path.getParent().getFileName().toString().equals("apps")
                    && Files.isDirectory(path)).sorted().toList();
        }
        assertThat(applications).extracting(path -> fleet.path().resolve("clusters").relativize(path).toString())
                .contains("payments/payments-staging/apps/checkout", "payments/payments-dev/apps/ledger-worker",
                        "search/search-dev/apps/query-api", "search/search-dev/apps/docs-site");
        // One API server stands for every workload cluster: the clusters' objects have the same names, and applying one
        // cluster's after another's is an update the API server validates again.
        try (ManagementTestEnv workload = ManagementTestEnv.startWorkloadOrSkip()) {
            Kubectl kubectl = workload.kubectl();
            for (Path application : applications) {
                Path cluster = application.getParent().getParent();
                kubectl.run("apply", "--server-side", "-k", cluster.toString()).succeeded();
                Kubectl.Result applied = kubectl.run("apply", "--server-side", "-k", application.toString());
                assertThat(applied.exitCode()).as(application + ": " + applied.err()).isZero();
                assertThat(applied.out()).contains("deployment.apps/" + application.getFileName() + " serverside-applied",
                        "networkpolicy.networking.k8s.io/" + application.getFileName() + " serverside-applied",
                        "poddisruptionbudget.policy/" + application.getFileName() + " serverside-applied");
                if (application.endsWith("payments-staging/apps/checkout")) {
                    assertThat(applied.out()).contains("ingress.networking.k8s.io/checkout serverside-applied",
                            "deployment.apps/checkout-placeholder serverside-applied");
                    // The escape hatch's patch is applied, on top of the rendered Deployment.
                    assertThat(kubectl.run("get", "deployment", "checkout", "-n", "payments", "-o",
                            "jsonpath={.spec.template.metadata.annotations}").succeeded().out())
                            .contains("\"prometheus.io/scrape\":\"true\"");
                    assertThat(kubectl.run("get", "priorityclass", "drover-overprovisioning", "-o", "jsonpath={.value}")
                            .succeeded().out()).isEqualTo("-5");
                }
            }
        }
    }
}
