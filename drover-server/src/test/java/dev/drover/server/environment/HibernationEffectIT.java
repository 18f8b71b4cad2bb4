package dev.drover.server.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.config.Option;
import dev.drover.server.server.ExampleOrganisation;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.MutableClock;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connected mode tells a hibernation that took effect from one that did not: a real kube-apiserver plays the management
 * cluster, the test plays Cluster API by writing the MachineDeployment's status, and the clock is the test's.
 */
class HibernationEffectIT {

    private static final Instant NOON = Instant.parse("2026-12-02T12:00:00Z");
    private static ManagementTestEnv management;
    private static FleetChecks fleet;
    private static MutableClock clock;

    @BeforeAll
    static void start() {
        management = ManagementTestEnv.startOrSkip();
        clock = new MutableClock(NOON);
        TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.MANAGEMENT_KUBECONFIG, management.kubeconfig().toString(),
                Option.SCHEDULE_RESYNC, "200ms"), ExampleOrganisation.Selection.LOCAL, clock);
        fleet = new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory("drover-hibernation-"));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (management != null) {
            management.close();
        }
    }

    @Test
    void workersStillRunningAfterTheTimeoutMakeHibernatedFalseUntilTheyAreGone() throws Exception {
        Kubectl capi = management.kubectl();
        fleet.awaitCluster("search/kind-sandbox", status -> status.path("git").has("commit"));
        apply(capi, "awake");
        workers(capi, 2);
        fleet.awaitCluster("search/kind-sandbox", status -> status.path("observed").path("nodes").asText().equals("2/2"));

        fleet.kubectl().run("patch", "cluster", "kind-sandbox", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"hibernation\":{\"windows\":[{\"days\":[\"Mon\",\"Tue\",\"Wed\",\"Thu\",\"Fri\",\"Sat\",\"Sun\"],"
                        + "\"start\":\"11:00\",\"end\":\"18:00\"}]}}}").succeeded();
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("Scheduled"));
        // Flux applies the hibernated commit, but something keeps the machines (the test does not scale them down).
        fleet.awaitCluster("search/kind-sandbox", status -> status.path("git").path("commit").asText().length() == 40);
        Path applied = apply(capi, "hibernated");
        assertThat(capi.run("get", "machinedeployments.cluster.x-k8s.io", "kind-sandbox-workers", "-n", "search", "-o",
                "jsonpath={.spec.replicas}").succeeded().out()).as("from " + applied).isEqualTo("0");

        clock.advance(Duration.ofMinutes(16));
        JsonNode notTaken = fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("NotTakenEffect"));
        assertThat(FleetChecks.condition(notTaken, "Hibernated").path("status").asText()).isEqualTo("False");
        assertThat(FleetChecks.condition(notTaken, "Hibernated").path("message").asText())
                .contains("still reports 2 ready worker nodes (workers 2) 15 minutes later");

        workers(capi, 0);
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("Scheduled"));
    }

    private static String reason(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("Hibernated")) {
                return condition.path("reason").asText();
            }
        }
        return "";
    }

    /** Applies the cluster's management objects as Flux would, from a clone of the fleet repository's head. */
    private static Path apply(Kubectl capi, String name) {
        Path clone = fleet.clone(name);
        capi.run("apply", "--server-side", "--force-conflicts", "-k", clone.resolve("management").toString()).succeeded();
        return clone;
    }

    /** Cluster API's status: the control plane up and this many ready workers. */
    private static void workers(Kubectl capi, int ready) {
        capi.run("patch", "clusters.cluster.x-k8s.io", "kind-sandbox", "-n", "search", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"initialization\":{\"infrastructureProvisioned\":true,\"controlPlaneInitialized\":true}}}").succeeded();
        capi.run("patch", "machinedeployments.cluster.x-k8s.io", "kind-sandbox-workers", "-n", "search", "--subresource=status",
                "--type=merge", "-p", "{\"status\":{\"replicas\":" + ready + ",\"readyReplicas\":" + ready + ",\"availableReplicas\":"
                        + ready + ",\"upToDateReplicas\":" + ready + "}}").succeeded();
    }
}
