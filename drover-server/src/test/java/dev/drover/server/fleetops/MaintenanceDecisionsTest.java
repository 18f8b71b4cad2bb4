package dev.drover.server.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.MaintenancePolicy;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.Provider;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenanceDecisionsTest {

    private static final ObjectKey KEY = new ObjectKey(Kinds.CLUSTER.kind(), "data-platform", "lakehouse-prod");
    private static final MaintenancePolicy SUNDAY_NIGHTS = new MaintenancePolicy(List.of(
            new ClusterSpec.Window(List.of(ClusterSpec.Weekday.SUNDAY), "22:00", "02:00")), Optional.of("UTC"), Optional.empty());
    private static final ClusterFlavorSpec VSPHERE = new ClusterFlavorSpec(Provider.VSPHERE, Optional.empty(), List.of("production"),
            new ClusterFlavorSpec.KubernetesVersions("1.31.4", List.of("1.31.4", "1.32.1"),
                    Map.of("1.31.4", "ubuntu-2204-kube-v1.31.4", "1.32.1", "ubuntu-2204-kube-v1.32.1")), List.of(), Optional.empty(),
            List.of(), List.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), Optional.of(SUNDAY_NIGHTS));

    @Test
    void outsideTheFlavorsWindowTheRepositoryKeepsTheVersionImageAndInstanceTypeButTakesANewPool() {
        JsonNode before = Json.parseObject("""
                {"maintenance":{"source":"flavor","open":false,"applied":{"kubernetesVersion":"1.31.4",
                 "instanceTypes":{"workers":"large-16c-64g"},"machineImage":"ubuntu-2204-kube-v1.31.4"}}}""");
        ClusterSpec spec = spec("1.32.1", List.of(pool("workers", "xlarge-32c-128g"), pool("gpu", "gpu-8c-64g")));
        var decision = MaintenanceDecisions.decide(KEY, 5, spec, "vsphere-onprem", VSPHERE, Optional.empty(), before,
                Instant.parse("2026-12-02T12:00:00Z"));
        var update = decision.update().orElseThrow();
        JsonNode maintenance = update.fields().get("maintenance");
        assertThat(Json.write(maintenance.path("applied"))).isEqualTo("{\"kubernetesVersion\":\"1.31.4\",\"instanceTypes\":"
                + "{\"gpu\":\"gpu-8c-64g\",\"workers\":\"large-16c-64g\"},\"machineImage\":\"ubuntu-2204-kube-v1.31.4\"}");
        assertThat(maintenance.path("source").asText()).isEqualTo("flavor \"vsphere-onprem\"");
        assertThat(update.conditions().getFirst().message().orElseThrow()).isEqualTo("kubernetesVersion 1.32.1 (now 1.31.4); "
                + "machine image ubuntu-2204-kube-v1.32.1 (now ubuntu-2204-kube-v1.31.4); nodePools[workers].instanceType "
                + "xlarge-32c-128g (now large-16c-64g) wait for the window Sun 22:00-02:00 UTC (opens 2026-12-06T22:00:00Z); "
                + "set spec.maintenance.immediate: true to commit now (an emergency override)");
        assertThat(decision.nextDue()).contains(Instant.parse("2026-12-06T22:00:00Z"));

        var inWindow = MaintenanceDecisions.decide(KEY, 5, spec, "vsphere-onprem", VSPHERE, Optional.empty(), before,
                Instant.parse("2026-12-07T01:00:00Z")).update().orElseThrow();
        assertThat(inWindow.fields().get("maintenance").path("applied").path("kubernetesVersion").asText()).isEqualTo("1.32.1");
        assertThat(inWindow.conditions().getFirst().reason()).as("a minor upgrade: the pools wait for the control plane")
                .contains("WaitingForControlPlane");
        assertThat(inWindow.fields().get("maintenance").path("applied").path("workersVersion").asText()).isEqualTo("1.31.4");
    }

    @Test
    void theClustersWindowsWinOverTheTeamsAndTheTeamsOverTheFlavors() {
        var team = new TeamSpec(Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(new TeamSpec.Environment("production", Optional.empty())), List.of(), Optional.empty(),
                Optional.of(new MaintenancePolicy(List.of(new ClusterSpec.Window(List.of(ClusterSpec.Weekday.WEDNESDAY), "10:00",
                        "12:00")), Optional.empty(), Optional.empty())));
        var decision = MaintenanceDecisions.decide(KEY, 1, spec("1.31.4", List.of(pool("workers", "large-16c-64g"))),
                "vsphere-onprem", VSPHERE, Optional.of(team), MissingNode.getInstance(), Instant.parse("2026-12-02T11:00:00Z"));
        JsonNode maintenance = decision.update().orElseThrow().fields().get("maintenance");
        assertThat(maintenance.path("source").asText()).isEqualTo("team \"data-platform\"");
        assertThat(maintenance.path("open").asBoolean()).isTrue();
        assertThat(maintenance.path("window").asText()).isEqualTo("window Wed 10:00-12:00 UTC");
    }

    @Test
    void patchUpdatesStayInTheirMinorAndAnExpiredVersionMovesOneMinorUp() {
        var flavor = new ClusterFlavorSpec(Provider.DOCKER, Optional.empty(), List.of("development"),
                new ClusterFlavorSpec.KubernetesVersions("1.31.4", List.of("1.31.4", "1.31.9", "1.32.3", "1.32.10", "1.33.1"), Map.of(),
                        Map.of("1.31", List.of(new ClusterFlavorSpec.LifecycleStage(ClusterFlavorSpec.VersionClassification.SUPPORTED,
                                "2024-08-13T00:00:00Z"), new ClusterFlavorSpec.LifecycleStage(ClusterFlavorSpec.VersionClassification.EXPIRED,
                                "2026-12-10T00:00:00Z")))), List.of(), Optional.empty(), List.of(), List.of(), List.of(), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        Instant before = Instant.parse("2026-12-09T00:00:00Z");
        assertThat(MaintenanceDecisions.versionUpdate("1.31.4", flavor, true, before)).map(MaintenanceDecisions.VersionUpdate::to)
                .contains("1.31.9");
        assertThat(MaintenanceDecisions.versionUpdate("1.31.4", flavor, false, before)).isEmpty();
        assertThat(MaintenanceDecisions.versionUpdate("1.32.10", flavor, true, before)).as("already the newest patch").isEmpty();
        var forced = MaintenanceDecisions.versionUpdate("1.31.9", flavor, false, Instant.parse("2026-12-11T00:00:00Z")).orElseThrow();
        assertThat(forced.to()).as("10 sorts after 3 as a number").isEqualTo("1.32.10");
        assertThat(forced.forced()).isTrue();
    }

    @Test
    void aMinorUpgradeMovesTheControlPlaneFirstAndThePoolsOnceItIsThere() {
        var before = new dev.drover.model.api.ClusterStatus.RollingValues("1.31.4", Map.of("workers", "large-16c-64g"),
                Optional.empty(), Optional.empty(), Optional.empty());
        var desired = new dev.drover.model.api.ClusterStatus.RollingValues("1.32.1", Map.of("workers", "large-16c-64g"),
                Optional.empty(), Optional.empty(), Optional.empty());
        Instant start = Instant.parse("2026-12-06T22:00:00Z");
        var first = MaintenanceDecisions.inWindow(Optional.of(before), desired, MissingNode.getInstance(), start);
        assertThat(first.kubernetesVersion()).isEqualTo("1.32.1");
        assertThat(first.workersVersion()).contains("1.31.4");
        assertThat(first.controlPlaneSince()).contains(start.toString());
        // Not connected: the pools follow 30 minutes after the control plane was committed.
        assertThat(MaintenanceDecisions.inWindow(Optional.of(first), desired, MissingNode.getInstance(), start.plusSeconds(600))
                .workersVersion()).contains("1.31.4");
        assertThat(MaintenanceDecisions.inWindow(Optional.of(first), desired, MissingNode.getInstance(), start.plusSeconds(1800))
                .workersVersion()).isEmpty();
        // Connected: as soon as the management cluster reports the control plane at the new version.
        JsonNode observed = Json.parseObject("{\"versions\":[\"v1.31.4\",\"v1.32.1\"]}");
        assertThat(MaintenanceDecisions.inWindow(Optional.of(first), desired, observed, start.plusSeconds(60)).workersVersion()).isEmpty();
        JsonNode notYet = Json.parseObject("{\"versions\":[\"v1.31.4\"]}");
        assertThat(MaintenanceDecisions.inWindow(Optional.of(first), desired, notYet, start.plusSeconds(3600)).workersVersion())
                .contains("1.31.4");
        // A patch moves both together.
        var patch = new dev.drover.model.api.ClusterStatus.RollingValues("1.31.9", Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(MaintenanceDecisions.inWindow(Optional.of(before), patch, MissingNode.getInstance(), start).workersVersion()).isEmpty();
    }

    private static ClusterSpec spec(String version, List<NodePool> pools) {
        return new ClusterSpec("vsphere-onprem", "production", Optional.empty(), Optional.of(version), pools, Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static NodePool pool(String name, String type) {
        return new NodePool(name, type, 1, 3, Optional.empty(), Map.of());
    }
}
