package dev.drover.server.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.config.Option;
import dev.drover.server.server.ExampleOrganisation;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.MutableClock;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A version change waits in the store for the cluster's maintenance window and reaches the fleet repository when the
 * window opens, or at once with spec.maintenance.immediate; changes that roll no machines are not held.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintenanceIT {

    private static MutableClock clock;
    private static FleetChecks fleet;

    @BeforeAll
    static void start() {
        Kubectl.requireInstalled();
        // Wednesday noon, UTC; the window is Tuesday 02:00-04:00 in Berlin (01:00-03:00 UTC in winter).
        clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
        TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.SCHEDULE_RESYNC, "200ms"),
                ExampleOrganisation.Selection.LOCAL, clock);
        fleet = new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory("drover-maintenance-"));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    @Order(1)
    void aVersionChangeWaitsForTheWindowAndAnEmergencyOverrideCommitsItAtOnce() throws Exception {
        Kubectl kubectl = fleet.kubectl();
        kubectl.run("patch", "clusterflavor", "docker-local", "--type", "merge", "-p",
                "{\"spec\":{\"kubernetesVersions\":{\"allowed\":[\"1.31.4\",\"1.32.0\"]}}}").succeeded();
        kubectl.run("patch", "cluster", "kind-sandbox", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"maintenance\":{\"timeZone\":\"Europe/Berlin\",\"windows\":[{\"days\":[\"Tue\"],\"start\":\"02:00\","
                        + "\"end\":\"04:00\"}]}}}").succeeded();
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("UpToDate"));

        kubectl.run("patch", "cluster", "kind-sandbox", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"kubernetesVersion\":\"1.32.0\"}}").succeeded();
        JsonNode waiting = fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("WaitingForWindow"));
        assertThat(FleetChecks.condition(waiting, "MaintenancePending").path("message").asText())
                .startsWith("kubernetesVersion 1.32.0 (now 1.31.4) waits for the window Tue 02:00-04:00 Europe/Berlin "
                        + "(opens 2026-12-08T01:00:00Z)");
        assertThat(waiting.path("maintenance").path("source").asText()).isEqualTo("the Cluster");
        // A change that rolls no machine goes through meanwhile.
        kubectl.run("patch", "cluster", "kind-sandbox", "-n", "search", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":3}]").succeeded();
        fleet.awaitCluster("search/kind-sandbox", status -> status.path("observedGeneration").asInt() == 4);
        String held = renderedFiles("held");
        assertThat(held).contains("node-group-max-size: \"3\"").contains("version: v1.31.4").doesNotContain("v1.32.0");

        // A minor upgrade: the control plane first; not connected, the pools follow 30 minutes after its commit.
        clock.set(Instant.parse("2026-12-08T01:00:30Z"));
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("WaitingForControlPlane"));
        awaitRendered("v1.32.0", "control-plane");
        String controlPlaneFirst = renderedFiles("control-plane-first");
        assertThat(controlPlaneFirst).contains("version: v1.32.0").contains("version: v1.31.4");
        clock.set(Instant.parse("2026-12-08T01:31:00Z"));
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("WindowOpen"));
        awaitRendered("version: v1.32.0", "in-window");
        for (int attempt = 0; renderedFiles("pools-" + attempt).contains("v1.31.4"); attempt++) {
            assertThat(attempt).as("the pools follow").isLessThan(100);
            Thread.sleep(300);
        }

        clock.set(Instant.parse("2026-12-08T05:00:00Z"));
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("UpToDate"));
        kubectl.run("patch", "cluster", "kind-sandbox", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"kubernetesVersion\":\"1.31.4\"}}").succeeded();
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("WaitingForWindow"));
        kubectl.run("patch", "cluster", "kind-sandbox", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"maintenance\":{\"immediate\":true}}}").succeeded();
        fleet.awaitCluster("search/kind-sandbox", status -> reason(status).equals("Immediate"));
        awaitRendered("version: v1.31.4", "immediate");
        assertThat(kubectl.run("get", "events", "-n", "search", "--field-selector", "involvedObject.name=kind-sandbox")
                .succeeded().out()).contains("Immediate", "WaitingForWindow");
    }

    @Test
    @Order(2)
    void inItsWindowAClusterGetsTheNewestSupportedPatchAndAnExpiredVersionMovesOneMinorUp() throws Exception {
        Kubectl kubectl = fleet.kubectl();
        clock.set(Instant.parse("2026-12-09T12:00:00Z"));
        kubectl.run("patch", "clusterflavor", "docker-local", "--type", "merge", "-p",
                "{\"spec\":{\"kubernetesVersions\":{\"allowed\":[\"1.31.4\",\"1.31.9\",\"1.32.0\",\"1.32.3\"]}}}").succeeded();
        kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: patched, namespace: search}
                spec:
                  flavor: docker-local
                  environment: development
                  kubernetesVersion: 1.31.4
                  maintenance:
                    windows: [{days: [Thu], start: "03:00", end: "05:00"}]
                    autoUpdate: {kubernetesPatch: true}
                """, "apply", "-f", "-").succeeded();
        JsonNode scheduled = fleet.awaitCluster("search/patched", status -> autoUpdate(status).path("reason").asText().equals("Scheduled"));
        assertThat(autoUpdate(scheduled).path("message").asText()).isEqualTo("kubernetesVersion moves to 1.31.9 (newest supported "
                + "patch of 1.31) in the window Thu 03:00-05:00 UTC (opens 2026-12-10T03:00:00Z)");

        clock.set(Instant.parse("2026-12-10T03:00:10Z"));
        fleet.awaitCluster("search/patched", status -> autoUpdate(status).path("reason").asText().equals("UpToDate"));
        JsonNode cluster = dev.drover.model.schema.Json.parseObject(kubectl.run("get", "cluster", "patched", "-n", "search", "-o", "json",
                "--show-managed-fields").succeeded().out());
        assertThat(cluster.path("spec").path("kubernetesVersion").asText()).isEqualTo("1.31.9");
        assertThat(cluster.path("metadata").path("managedFields").toString()).contains("drover-maintenance");

        // 1.31 expires: the next window moves the cluster to the newest supported patch of 1.32, one minor up.
        kubectl.run("patch", "clusterflavor", "docker-local", "--type", "merge", "-p", "{\"spec\":{\"kubernetesVersions\":"
                + "{\"lifecycle\":{\"1.31\":[{\"classification\":\"supported\",\"startTime\":\"2024-08-13T00:00:00Z\"},"
                + "{\"classification\":\"expired\",\"startTime\":\"2026-12-10T04:00:00Z\"}]}}}}").succeeded();
        clock.set(Instant.parse("2026-12-10T06:00:00Z"));
        JsonNode forced = fleet.awaitCluster("search/patched", status -> autoUpdate(status).path("reason").asText().equals("Forced"));
        assertThat(autoUpdate(forced).path("message").asText()).startsWith("kubernetesVersion moves to 1.32.3 (1.31.9 expired at "
                + "2026-12-10T04:00:00Z; one minor version up) in the window Thu 03:00-05:00 UTC (opens 2026-12-17T03:00:00Z)");
        clock.set(Instant.parse("2026-12-17T03:00:05Z"));
        fleet.awaitCluster("search/patched", status -> autoUpdate(status).path("reason").asText().equals("UpToDate"));
        assertThat(kubectl.run("get", "cluster", "patched", "-n", "search", "-o", "jsonpath={.spec.kubernetesVersion}")
                .succeeded().out()).isEqualTo("1.32.3");
    }

    private static JsonNode autoUpdate(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("AutoUpdate")) {
                return condition;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String reason(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("MaintenancePending")) {
                return condition.path("reason").asText();
            }
        }
        return "";
    }

    private static void awaitRendered(String text, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int attempt = 0; !renderedFiles(name + attempt).contains(text); attempt++) {
            assertThat(System.nanoTime()).as("the fleet repository gets " + text).isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    /** The Cluster API files of kind-sandbox at the fleet repository's head, concatenated. */
    private static String renderedFiles(String cloneName) {
        Path clone = fleet.clone(cloneName);
        GitCli.run(clone, "log", "-1").succeeded();
        try (Stream<Path> files = Files.walk(clone.resolve("management/docker/clusters/search/kind-sandbox"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(Files.readString(file));
            }
            return all.toString();
        } catch (java.io.IOException unreadable) {
            throw new java.io.UncheckedIOException(unreadable);
        }
    }
}
