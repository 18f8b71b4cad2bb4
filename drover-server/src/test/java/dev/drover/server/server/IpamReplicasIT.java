package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.testing.IpamFixtures;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.TemporaryDirectory;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A thousand IPAddressClaims created at once while two replicas share one database, and the leader goes when a
 * third of them are answered: the standby takes over, every claim ends with exactly one address, no address is held
 * twice, and the allocation log has one allocation per claim.
 */
class IpamReplicasIT {

    private static final int CLAIMS = 1000;
    private static final String TEAM = "data-platform";

    @Test
    void aThousandClaimsAcrossALeaderTakeoverGetOneAddressEachAndNoAddressTwice() throws Exception {
        try (ManagementTestEnv management = ManagementTestEnv.startWithOrSkip(List.of("cluster-api"));
             var shared = new ReplicasIT.Shared();
             var first = new TemporaryDirectory("ipam-replica-a-");
             var second = new TemporaryDirectory("ipam-replica-b-")) {
            Kubectl capi = management.kubectl();
            IpamFixtures.prepare(capi, TEAM);
            Map<Option, String> connected = Map.of(Option.MANAGEMENT_KUBECONFIG, management.kubeconfig().toString());
            try (var database = shared.database();
                 DroverServer leader = DroverServer.start(ReplicasIT.configuration(first.path(), shared.port, shared.remote, connected));
                 DroverServer standby = DroverServer.start(ReplicasIT.configuration(second.path(), shared.port, shared.remote,
                         connected))) {
                ExampleOrganisation.loadOnFirstStart(leader, ExampleOrganisation.Selection.ALL);
                awaitCount(capi, "ippools.ipam.drover.dev", 1, Duration.ofSeconds(60));
                IpamFixtures.capiCluster(capi, TEAM, "lakehouse-staging", false);
                StringBuilder claims = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
                for (int index = 0; index < CLAIMS; index++) {
                    claims.append(index == 0 ? "" : ",").append("""
                            {"apiVersion":"ipam.cluster.x-k8s.io/v1beta2","kind":"IPAddressClaim","metadata":{"name":"vm-%d-0-0",
                             "namespace":"data-platform"},"spec":{"clusterName":"lakehouse-staging","poolRef":{"apiGroup":
                             "ipam.drover.dev","kind":"IPPool","name":"fra-dc1-nodes"}}}""".formatted(index));
                }
                long started = System.nanoTime();
                capi.run(claims.append("]}").toString(), Duration.ofMinutes(3), "create", "-f", "-").succeeded();
                awaitCount(capi, "ipaddresses.ipam.cluster.x-k8s.io", CLAIMS / 3, Duration.ofSeconds(120));
                leader.close();
                awaitCount(capi, "ipaddresses.ipam.cluster.x-k8s.io", CLAIMS, Duration.ofSeconds(180));
                System.out.printf("%d claims answered across a takeover in %d ms%n", CLAIMS,
                        Duration.ofNanos(System.nanoTime() - started).toMillis());

                JsonNode addresses = Json.parseObject(capi.run("get", "ipaddresses.ipam.cluster.x-k8s.io", "-n", TEAM, "-o", "json")
                        .succeeded().out());
                Map<String, String> byClaim = new HashMap<>();
                for (JsonNode address : addresses.path("items")) {
                    byClaim.put(address.path("spec").path("claimRef").path("name").asText(), address.path("spec").path("address").asText());
                }
                assertThat(byClaim).hasSize(CLAIMS);
                assertThat(byClaim.values()).doesNotHaveDuplicates();
                JsonNode report = Json.parseObject(new Kubectl(standby.kubeconfig()).run("get", "--raw",
                        "/drover/v1/ipam/allocations?pool=fra-dc1-nodes").succeeded().out());
                assertThat(report.path("items")).hasSize(CLAIMS);
                for (JsonNode held : report.path("items")) {
                    String claim = held.path("claim").asText().substring(TEAM.length() + 1);
                    assertThat(byClaim.get(claim)).as(claim).isEqualTo(held.path("address").asText());
                }
                try (var connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + shared.port + "/postgres",
                        "postgres", "");
                     ResultSet row = connection.createStatement().executeQuery("SELECT count(*), count(DISTINCT address), "
                             + "count(DISTINCT claim_uid) FROM ip_allocation_log WHERE action = 'allocated'")) {
                    row.next();
                    assertThat(List.of(row.getLong(1), row.getLong(2), row.getLong(3))).as("allocations logged, distinct "
                            + "addresses, distinct claims").containsExactly((long) CLAIMS, (long) CLAIMS, (long) CLAIMS);
                }
            }
        }
    }

    private static void awaitCount(Kubectl kubectl, String resource, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            Kubectl.Result listed = kubectl.run("get", resource, "-A", "-o", "name");
            seen = listed.exitCode() == 0 ? (int) listed.out().lines().filter(line -> !line.isBlank()).count() : 0;
            if (seen >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(resource + ": " + seen + " of " + count + " within " + timeout.toSeconds() + " s");
    }
}
