package dev.drover.server.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.IpamFixtures;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Cluster API IPAM contract end to end against a real kube-apiserver with Cluster API's CRDs and Drover's pool CRD:
 * the test plays CAPV, creating an IPAddressClaim per machine NIC of the example vSphere cluster and deleting it, and
 * checks what Drover answers on the management cluster and in its own API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IpamIT {

    private static final String TEAM = "data-platform";
    private static final String CLUSTER = "lakehouse-staging";
    private static final String POOL = "fra-dc1-nodes";

    private static ManagementTestEnv management;
    private static FleetChecks fleet;
    private static Kubectl drover;
    private static Kubectl capi;

    @BeforeAll
    static void start() {
        management = ManagementTestEnv.startWithOrSkip(List.of("cluster-api"));
        capi = management.kubectl();
        IpamFixtures.prepare(capi, TEAM);
        fleet = FleetChecks.startFreshWithExamples("drover-ipam-", Map.of(Option.MANAGEMENT_KUBECONFIG,
                management.kubeconfig().toString(), Option.IPAM_RECLAIM_AFTER, "2s"));
        drover = fleet.kubectl();
        capiCluster(CLUSTER, false);
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

    static void capiCluster(String name, boolean paused) {
        IpamFixtures.capiCluster(capi, TEAM, name, paused);
    }

    /** What CAPV creates for one NIC of a VSphereVM: a claim owned by the VM, naming the pool and the cluster. */
    static String claim(String name, String cluster, String poolGroup, String poolKind, String pool) {
        return Json.write(Json.parseObject("""
                {"apiVersion":"ipam.cluster.x-k8s.io/v1beta2","kind":"IPAddressClaim","metadata":{"name":"%s","namespace":"%s",
                 "labels":{"cluster.x-k8s.io/cluster-name":"%s"},
                 "ownerReferences":[{"apiVersion":"vmware.infrastructure.cluster.x-k8s.io/v1beta1","kind":"VSphereVM",
                   "name":"%s","uid":"4f1c9c1e-0000-4000-8000-000000000001","controller":true,"blockOwnerDeletion":true}]},
                 "spec":{"clusterName":"%s","poolRef":{"apiGroup":"%s","kind":"%s","name":"%s"}}}"""
                .formatted(name + "-0-0", TEAM, cluster, name, cluster, poolGroup, poolKind, pool)));
    }

    static void createClaims(String cluster, String pool, String... machines) {
        StringBuilder list = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
        for (int index = 0; index < machines.length; index++) {
            list.append(index == 0 ? "" : ",").append(claim(machines[index], cluster, "ipam.drover.dev", "IPPool", pool));
        }
        capi.runWithInput(list.append("]}").toString(), "create", "-f", "-").succeeded();
    }

    static JsonNode await(String what, Predicate<JsonNode> until, String... command) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = Json.MAPPER.createObjectNode();
        while (System.nanoTime() < deadline) {
            Kubectl.Result result = capi.run(command);
            if (result.exitCode() == 0) {
                last = Json.parseObject(result.out());
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " not reached within 30 s; last: " + last);
    }

    static JsonNode address(String claim) throws InterruptedException {
        return await("IPAddress " + claim, object -> object.path("spec").has("address"), "get", "ipaddresses.ipam.cluster.x-k8s.io",
                claim, "-n", TEAM, "-o", "json");
    }

    static JsonNode claimObject(String claim) {
        return Json.parseObject(capi.run("get", "ipaddressclaims.ipam.cluster.x-k8s.io", claim, "-n", TEAM, "-o", "json")
                .succeeded().out());
    }

    static JsonNode ready(JsonNode object) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    static boolean gone(String resource, String name) {
        return capi.run("get", resource, name, "-n", TEAM).exitCode() != 0;
    }

    @Test
    @Order(1)
    void claimsOfTheVsphereClusterGetAddressesFromTheDroverPoolAsTheContractSays() throws Exception {
        createClaims(CLUSTER, POOL, "lakehouse-staging-cp-a", "lakehouse-staging-cp-b", "lakehouse-staging-worker-x");
        // Another provider's claim is not Drover's.
        capi.runWithInput(claim("other-vm", CLUSTER, "ipam.cluster.x-k8s.io", "GlobalInClusterIPPool", "elsewhere"),
                "create", "-f", "-").succeeded();

        Set<String> addresses = new HashSet<>();
        for (String machine : List.of("lakehouse-staging-cp-a", "lakehouse-staging-cp-b", "lakehouse-staging-worker-x")) {
            String name = machine + "-0-0";
            JsonNode address = address(name);
            addresses.add(address.path("spec").path("address").asText());
            assertThat(address.path("spec").path("prefix").asInt()).isEqualTo(22);
            assertThat(address.path("spec").path("gateway").asText()).isEqualTo("10.20.8.1");
            assertThat(address.path("spec").path("claimRef").path("name").asText()).isEqualTo(name);
            assertThat(address.path("spec").path("poolRef").path("kind").asText()).isEqualTo("IPPool");
            assertThat(address.path("metadata").path("finalizers").toString()).contains("ipam.cluster.x-k8s.io/protect-address");
            JsonNode claim = await("claim " + name + " Ready", object -> ready(object).path("status").asText().equals("True"),
                    "get", "ipaddressclaims.ipam.cluster.x-k8s.io", name, "-n", TEAM, "-o", "json");
            assertThat(claim.path("status").path("addressRef").path("name").asText()).isEqualTo(name);
            assertThat(claim.path("metadata").path("finalizers").toString()).contains("ipam.drover.dev/release-address");
            JsonNode mirror = Json.parseObject(capi.run("get", "ippools.ipam.drover.dev", POOL, "-o", "json").succeeded().out());
            JsonNode owners = address.path("metadata").path("ownerReferences");
            assertThat(owners).hasSize(2);
            assertThat(owners.get(0).path("uid").asText()).isEqualTo(claim.path("metadata").path("uid").asText());
            assertThat(owners.get(0).path("controller").asBoolean()).isTrue();
            assertThat(owners.get(1).path("uid").asText()).isEqualTo(mirror.path("metadata").path("uid").asText());
            assertThat(owners.get(1).path("controller").asBoolean()).isFalse();
            assertThat(owners.get(1).path("blockOwnerDeletion").asBoolean()).isTrue();
        }
        // The network address, the gateway and the excluded appliances' 10.20.8.2-15 are never handed out.
        assertThat(addresses).containsExactlyInAnyOrder("10.20.8.16", "10.20.8.17", "10.20.8.18");
        Thread.sleep(1500);
        JsonNode other = claimObject("other-vm-0-0");
        assertThat(other.path("metadata").has("finalizers")).isFalse();
        assertThat(other.path("status").isMissingNode() || other.path("status").isEmpty()).isTrue();
        assertThat(gone("ipaddresses.ipam.cluster.x-k8s.io", "other-vm-0-0")).isTrue();

        JsonNode pool = fleet.awaitObject("ippools", POOL, status -> status.path("used").asInt() == 3);
        assertThat(pool.path("total").asLong()).isEqualTo(1024 - 2 - 14 - 1);
        assertThat(pool.path("free").asLong()).isEqualTo(1024 - 2 - 14 - 1 - 3);
        assertThat(pool.path("teams").toString()).contains("\"name\":\"data-platform\",\"used\":3");
        assertThat(pool.path("environments").toString()).contains("\"name\":\"staging\",\"used\":3");
        assertThat(FleetChecks.condition(pool, "Ready").path("status").asText()).isEqualTo("True");
        JsonNode cluster = fleet.awaitCluster(TEAM + "/" + CLUSTER, status -> status.path("conditions").toString()
                .contains("NodeAddressesAllocated"));
        assertThat(FleetChecks.condition(cluster, "NodeAddressesAllocated").path("status").asText()).isEqualTo("True");

        DroverCli.Run report = DroverCli.run(fleet.drover().kubeconfig(), "ipam", "report", "--pool", POOL);
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("10.20.8.16", "lakehouse-staging-cp-a", "data-platform/lakehouse-staging-cp-a-0-0");
        String teamToken = DroverCli.teamToken(fleet.drover().kubeconfig(), "payments");
        assertThat(drover.run("--token", teamToken, "get", "--raw", "/drover/v1/ipam/allocations?team=data-platform").exitCode())
                .as("another team's addresses").isNotZero();
    }

    @Test
    @Order(2)
    void aDeletedIpAddressComesBackWithTheSameAddressAndADeletedClaimReleasesItsAddress() throws Exception {
        String name = "lakehouse-staging-cp-a-0-0";
        String before = address(name).path("spec").path("address").asText();
        capi.run("delete", "ipaddresses.ipam.cluster.x-k8s.io", name, "-n", TEAM, "--wait=false").succeeded();
        JsonNode again = await("IPAddress made again", object -> !object.path("metadata").has("deletionTimestamp")
                && object.path("spec").has("address"), "get", "ipaddresses.ipam.cluster.x-k8s.io", name, "-n", TEAM, "-o", "json");
        assertThat(again.path("spec").path("address").asText()).isEqualTo(before);

        capi.run("delete", "ipaddressclaims.ipam.cluster.x-k8s.io", "lakehouse-staging-worker-x-0-0", "-n", TEAM, "--wait=false")
                .succeeded();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((!gone("ipaddressclaims.ipam.cluster.x-k8s.io", "lakehouse-staging-worker-x-0-0")
                || !gone("ipaddresses.ipam.cluster.x-k8s.io", "lakehouse-staging-worker-x-0-0")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(gone("ipaddressclaims.ipam.cluster.x-k8s.io", "lakehouse-staging-worker-x-0-0")).isTrue();
        assertThat(gone("ipaddresses.ipam.cluster.x-k8s.io", "lakehouse-staging-worker-x-0-0")).isTrue();
        // The released 10.20.8.18 rests for the pool's reuseAfter (10m): a new machine gets the next one.
        createClaims(CLUSTER, POOL, "lakehouse-staging-worker-y");
        assertThat(address("lakehouse-staging-worker-y-0-0").path("spec").path("address").asText()).isEqualTo("10.20.8.19");
        DroverCli.Run history = DroverCli.run(fleet.drover().kubeconfig(), "ipam", "history", "--pool", POOL, "--address", "10.20.8.18");
        assertThat(history.out()).contains("allocated", "released", "lakehouse-staging-worker-x");
    }

    @Test
    @Order(3)
    void aPausedClusterClaimWaitsUntilItIsUnpaused() throws Exception {
        capiCluster(CLUSTER, true);
        Thread.sleep(500);
        createClaims(CLUSTER, POOL, "lakehouse-staging-worker-z");
        Thread.sleep(2000);
        assertThat(claimObject("lakehouse-staging-worker-z-0-0").path("metadata").has("finalizers")).isFalse();
        capiCluster(CLUSTER, false);
        assertThat(address("lakehouse-staging-worker-z-0-0").path("spec").path("address").asText()).isEqualTo("10.20.8.20");
    }

    @Test
    @Order(4)
    void poolsAreAdmittedOnlyWhenTheyOverlapNothingAndKeepTheAddressesInUse() {
        Kubectl.Result overlap = drover.runWithInput("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"IPPool","metadata":{"name":"overlapping"},
                 "spec":{"addresses":["10.20.9.0-10.20.9.20"],"prefix":24}}""", "create", "-f", "-");
        assertThat(overlap.exitCode()).isNotZero();
        assertThat(overlap.err()).contains("spec.addresses", "overlaps IPPool \"fra-dc1-nodes\" at 10.20.9.1-10.20.9.20");
        Kubectl.Result wrong = drover.runWithInput("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"IPPool","metadata":{"name":"wrong"},
                 "spec":{"addresses":["10.40.0.0/24","fd00::/120","10.40.1.300"],"prefix":24,"gateway":"10.41.0.1"}}""",
                "create", "-f", "-");
        assertThat(wrong.err()).contains("spec.addresses[1]", "one family", "spec.addresses[2]", "not an IP address");
        Kubectl.Result shrink = drover.run("patch", "ippool", POOL, "--type=merge", "-p",
                "{\"spec\":{\"excludedAddresses\":[\"10.20.8.2-10.20.8.17\"]}}");
        assertThat(shrink.exitCode()).isNotZero();
        assertThat(shrink.err()).contains("2 address(es) in use would fall outside the pool", "10.20.8.16 (claim "
                + "data-platform/lakehouse-staging-cp-a-0-0 of cluster data-platform/lakehouse-staging)");
        Kubectl.Result delete = drover.run("delete", "ippool", POOL);
        assertThat(delete.exitCode()).isNotZero();
        assertThat(delete.err()).contains("machines hold 4 of its address(es)");
    }

    @Test
    @Order(5)
    void anExhaustedPoolSaysSoOnTheClaimThePoolAndTheCluster() throws Exception {
        drover.runWithInput("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"IPPool","metadata":{"name":"tiny"},
                 "spec":{"addresses":["10.30.0.0/30"],"prefix":30,"reuseAfter":"0m"}}""", "create", "-f", "-").succeeded();
        createClaims(CLUSTER, "tiny", "tiny-a", "tiny-b", "tiny-c");
        Set<String> given = new HashSet<>();
        given.add(address("tiny-a-0-0").path("spec").path("address").asText());
        given.add(address("tiny-b-0-0").path("spec").path("address").asText());
        assertThat(given).containsExactlyInAnyOrder("10.30.0.1", "10.30.0.2");
        JsonNode refused = await("tiny-c exhausted", object -> ready(object).path("reason").asText().equals("PoolExhausted"),
                "get", "ipaddressclaims.ipam.cluster.x-k8s.io", "tiny-c-0-0", "-n", TEAM, "-o", "json");
        assertThat(ready(refused).path("message").asText()).contains("IPPool \"tiny\" has no free address");
        JsonNode pool = fleet.awaitObject("ippools", "tiny", status -> status.path("free").asInt(-1) == 0);
        assertThat(FleetChecks.condition(pool, "Ready").path("reason").asText()).isEqualTo("PoolExhausted");
        JsonNode cluster = fleet.awaitCluster(TEAM + "/" + CLUSTER, status -> status.path("conditions").toString()
                .contains("\"reason\":\"PoolExhausted\""));
        assertThat(FleetChecks.condition(cluster, "NodeAddressesAllocated").path("message").asText()).contains("IPPool \"tiny\"");

        // A freed address (reuseAfter 0m) goes to the waiting claim.
        capi.run("delete", "ipaddressclaims.ipam.cluster.x-k8s.io", "tiny-a-0-0", "-n", TEAM, "--wait=false").succeeded();
        assertThat(address("tiny-c-0-0").path("spec").path("address").asText()).isIn("10.30.0.1", "10.30.0.2");
    }

    @Test
    @Order(6)
    void anAddressWhoseClaimAndClusterVanishedIsReclaimedWithAnEvent() throws Exception {
        drover.runWithInput("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"ipam-leak","namespace":"data-platform"},
                 "spec":{"flavor":"vsphere-onprem","environment":"development","variables":{"controlPlaneEndpoint":"10.20.0.77"}}}""",
                "create", "-f", "-").succeeded();
        capiCluster("ipam-leak", false);
        createClaims("ipam-leak", POOL, "ipam-leak-cp");
        String leaked = address("ipam-leak-cp-0-0").path("spec").path("address").asText();
        // Drover stops answering the cluster's claims (paused), the claim is force-removed, then the cluster goes.
        capiCluster("ipam-leak", true);
        Thread.sleep(500);
        capi.run("patch", "ipaddressclaims.ipam.cluster.x-k8s.io", "ipam-leak-cp-0-0", "-n", TEAM, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}").succeeded();
        capi.run("delete", "ipaddressclaims.ipam.cluster.x-k8s.io", "ipam-leak-cp-0-0", "-n", TEAM).succeeded();
        drover.run("delete", "cluster", "ipam-leak", "-n", TEAM, "--wait=false").succeeded();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String report = "";
        while (System.nanoTime() < deadline) {
            report = DroverCli.run(fleet.drover().kubeconfig(), "ipam", "report", "--pool", POOL).out();
            if (!report.contains(leaked + " ")) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(report).doesNotContain(leaked + " ");
        String events = drover.run("get", "events", "--field-selector", "involvedObject.kind=IPPool", "-o", "json").succeeded().out();
        assertThat(events).contains("AddressesReclaimed", leaked);
    }

    /** Every address the management cluster holds is held once. */
    @Test
    @Order(7)
    void noAddressIsEverHeldTwice() {
        JsonNode list = Json.parseObject(capi.run("get", "ipaddresses.ipam.cluster.x-k8s.io", "-A", "-o", "json").succeeded().out());
        List<String> addresses = new ArrayList<>();
        list.path("items").forEach(item -> addresses.add(item.path("spec").path("address").asText()));
        assertThat(addresses).doesNotHaveDuplicates().isNotEmpty();
    }
}
