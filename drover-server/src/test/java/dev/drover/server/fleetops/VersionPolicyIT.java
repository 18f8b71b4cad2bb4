package dev.drover.server.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.config.Option;
import dev.drover.server.server.ExampleOrganisation;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.MutableClock;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example EKS flavor's version calendar on a clock the test moves across the end of 1.34's standard support
 * (2026-12-02): admission, the flavor's and the cluster's status, the SUPPORT column, the Event, and the fee.
 */
class VersionPolicyIT {

    private static MutableClock clock;
    private static FleetChecks fleet;

    @BeforeAll
    static void start() {
        Kubectl.requireInstalled();
        clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
        TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.SCHEDULE_RESYNC, "200ms",
                Option.EVENT_RETENTION, "10000h"), ExampleOrganisation.Selection.LOCAL, clock);
        fleet = new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory("drover-version-policy-"));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aVersionLeavingStandardSupportIsRefusedForNewClustersFlaggedOnRunningOnesAndPricedAsExtended() throws Exception {
        fleet.kubectl().runWithInput(cluster("legacy", "1.34.2"), "apply", "-f", "-").succeeded();
        JsonNode supported = fleet.awaitCluster("search/legacy", status -> status.path("versionSupport").has("summary")
                && status.has("cost"));
        assertThat(supported.path("versionSupport").path("summary").asText()).isEqualTo("supported until 2026-12-02");
        assertThat(controlPlaneLine(supported)).contains("control-plane fee 0.10/h (Kubernetes 1.34)");
        JsonNode flavor = fleet.awaitObject("clusterflavor", "eks-standard", status -> status.path("versions").size() == 3);
        assertThat(version(flavor, "1.34.2").toString()).isEqualTo("{\"classification\":\"supported\",\"nextAt\":"
                + "\"2026-12-02T00:00:00Z\",\"nextClassification\":\"deprecated\",\"since\":\"2025-10-02T00:00:00Z\",\"version\":\"1.34.2\"}");

        clock.set(Instant.parse("2026-12-02T00:00:01Z"));
        JsonNode deprecated = fleet.awaitCluster("search/legacy", status -> FleetChecks.condition(status, "VersionSupported")
                .path("reason").asText().equals("Deprecated") && controlPlaneLine(status).contains("0.60/h"));
        assertThat(controlPlaneLine(deprecated)).contains("control-plane fee 0.60/h (Kubernetes 1.34, deprecated since 2026-12-02)");
        assertThat(deprecated.path("versionSupport").path("expiresAt").asText()).isEqualTo("2027-12-02T00:00:00Z");
        assertThat(fleet.kubectl().run("get", "clusters", "-n", "search").succeeded().out())
                .containsPattern("legacy\\s+eks-standard\\s+development\\s+1\\.34\\.2\\s+\\S+\\s+.*deprecated, expires 2027-12-02");
        assertThat(fleet.kubectl().run("get", "events", "-n", "search", "--field-selector", "involvedObject.name=legacy")
                .succeeded().out()).containsPattern("Warning\\s+Deprecated");
        fleet.awaitObject("clusterflavor", "eks-standard", status ->
                version(status, "1.34.2").path("classification").asText().equals("deprecated"));

        Kubectl.Result refused = fleet.kubectl().runWithInput(cluster("another", "1.34.2"), "apply", "-f", "-");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("spec.kubernetesVersion", "version 1.34.2 is deprecated in flavor \"eks-standard\" since "
                + "2026-12-02T00:00:00Z", "take a supported version: 1.35.0");
        fleet.kubectl().run("patch", "cluster", "legacy", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"nodePools\":[{\"name\":\"general\",\"instanceType\":\"m6i.large\",\"minSize\":1,\"maxSize\":4}]}}")
                .succeeded();
    }

    private static JsonNode version(JsonNode flavorStatus, String version) {
        for (JsonNode entry : flavorStatus.path("versions")) {
            if (entry.path("version").asText().equals(version)) {
                return entry;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String controlPlaneLine(JsonNode status) {
        for (JsonNode line : status.path("cost").path("lines")) {
            if (line.path("item").asText().equals("control-plane")) {
                return line.toString();
            }
        }
        return "";
    }

    private static String cluster(String name, String version) {
        return """
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: %s, namespace: search}
                spec:
                  flavor: eks-standard
                  environment: development
                  kubernetesVersion: %s
                  nodePools: [{name: general, instanceType: m6i.large, minSize: 1, maxSize: 3}]
                """.formatted(name, version);
    }
}
