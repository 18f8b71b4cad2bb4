package dev.drover.server.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaimDecisionTest {

    private static final String MANAGEMENT = "https://management.example.com:6443";

    private static JsonNode claim(String poolGroup, String extraMetadata) {
        return Json.parseObject("""
                {"metadata":{"name":"web-md-0-x-0-0","namespace":"payments","uid":"c1",%s
                  "ownerReferences":[{"kind":"VSphereVM","name":"web-md-0-x","controller":true}]},
                 "spec":{"clusterName":"web","poolRef":{"apiGroup":"%s","kind":"IPPool","name":"dc1"}}}"""
                .formatted(extraMetadata, poolGroup));
    }

    private static final JsonNode RUNNING = Json.parseObject("{\"spec\":{\"paused\":false}}");
    private static final CachedObject<ClusterSpec> CLUSTER = new CachedObject<>(new ObjectKey(Kinds.CLUSTER.kind(), "payments", "web"),
            Json.bind(Json.parseObject("{\"flavor\":\"vsphere-onprem\",\"environment\":\"production\"}"), ClusterSpec.class),
            Map.of(), List.of(), 1, false, "", 1, Instant.EPOCH);

    private static IPPoolSpec pool(String scopeTeams) {
        return Json.bind(Json.parseObject("{\"addresses\":[\"10.0.0.0/24\"],\"prefix\":24,\"scope\":{\"teams\":[" + scopeTeams
                + "]}}"), IPPoolSpec.class);
    }

    @Test
    void otherProvidersClaimsAreNotOurs() {
        assertThat(ClaimDecision.decide(claim("ipam.cluster.x-k8s.io", ""), Optional.of(RUNNING), Optional.of(CLUSTER),
                Optional.of(pool("")), MANAGEMENT)).isInstanceOf(ClaimDecision.NotOurs.class);
    }

    @Test
    void aPausedOrMissingClusterWaits() {
        JsonNode claim = claim("ipam.drover.dev", "");
        assertThat(ClaimDecision.decide(claim, Optional.empty(), Optional.of(CLUSTER), Optional.of(pool("")), MANAGEMENT))
                .isInstanceOfSatisfying(ClaimDecision.Wait.class, wait -> assertThat(wait.why()).contains("no Cluster API Cluster"));
        JsonNode paused = Json.parseObject("{\"metadata\":{\"annotations\":{\"cluster.x-k8s.io/paused\":\"\"}}}");
        assertThat(ClaimDecision.decide(claim, Optional.of(paused), Optional.of(CLUSTER), Optional.of(pool("")), MANAGEMENT))
                .isInstanceOfSatisfying(ClaimDecision.Wait.class, wait -> assertThat(wait.why()).contains("paused"));
    }

    @Test
    void aDeletedClaimReleasesEvenWhenThePoolIsGone() {
        assertThat(ClaimDecision.decide(claim("ipam.drover.dev", "\"deletionTimestamp\":\"2026-12-03T10:00:00Z\","),
                Optional.of(RUNNING), Optional.empty(), Optional.empty(), MANAGEMENT)).isEqualTo(new ClaimDecision.Release("dc1"));
    }

    @Test
    void aClaimGetsAnAddressOnlyForADroverClusterThePoolsScopeAllows() {
        JsonNode claim = claim("ipam.drover.dev", "");
        assertThat(ClaimDecision.decide(claim, Optional.of(RUNNING), Optional.of(CLUSTER), Optional.of(pool("\"search\"")), MANAGEMENT))
                .isInstanceOfSatisfying(ClaimDecision.Refuse.class, refused -> assertThat(refused.message()).contains("spec.scope"));
        assertThat(ClaimDecision.decide(claim, Optional.of(RUNNING), Optional.empty(), Optional.of(pool("")), MANAGEMENT))
                .isInstanceOfSatisfying(ClaimDecision.Refuse.class, refused -> assertThat(refused.message()).contains("no Drover Cluster"));
        assertThat(ClaimDecision.decide(claim, Optional.of(RUNNING), Optional.of(CLUSTER), Optional.empty(), MANAGEMENT))
                .isInstanceOfSatisfying(ClaimDecision.Refuse.class, refused -> assertThat(refused.reason()).isEqualTo("PoolNotReady"));
        ClaimDecision allocate = ClaimDecision.decide(claim, Optional.of(RUNNING), Optional.of(CLUSTER), Optional.of(pool("\"payments\"")),
                MANAGEMENT);
        assertThat(allocate).isInstanceOfSatisfying(ClaimDecision.Allocate.class, decided -> {
            assertThat(decided.holder().claimUid()).isEqualTo("c1");
            assertThat(decided.holder().environment()).isEqualTo("production");
            assertThat(decided.holder().machine()).isEqualTo("web-md-0-x");
            assertThat(decided.holder().managementCluster()).isEqualTo(MANAGEMENT);
        });
    }
}
