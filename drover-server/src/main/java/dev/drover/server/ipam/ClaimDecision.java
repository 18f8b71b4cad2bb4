package dev.drover.server.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.ipam.DroverIpam;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.store.AddressAllocations;
import java.util.Optional;

/**
 * What to do with one IPAddressClaim, decided from what was observed, as the Cluster API IPAM contract says: claims
 * for other providers' pools are not Drover's; a claim of a paused or unknown cluster waits; a deleted claim gives its
 * address back; any other gets one, if its Drover cluster may draw from the pool.
 */
sealed interface ClaimDecision {

    String CAPI_CLUSTER_LABEL = "cluster.x-k8s.io/cluster-name";
    String PAUSED_ANNOTATION = "cluster.x-k8s.io/paused";

    /** Another provider's claim. */
    record NotOurs() implements ClaimDecision {
    }

    /** Reconciliation stops until the cluster is found or unpaused; nothing is written. */
    record Wait(String why) implements ClaimDecision {
    }

    /** The claim is being deleted: release its address, delete the IPAddress, let the claim go. */
    record Release(String pool) implements ClaimDecision {
    }

    /** The claim may not draw from the pool: say so on it, allocate nothing. */
    record Refuse(String pool, String reason, String message) implements ClaimDecision {
    }

    record Allocate(String pool, AddressAllocations.Holder holder) implements ClaimDecision {
    }

    /**
     * @param capiCluster the claim's Cluster API Cluster, if the management cluster has it
     * @param cluster the Drover Cluster of that name in the claim's namespace (a team's), if any
     * @param pool the Drover IPPool the claim names, if it exists
     */
    static ClaimDecision decide(JsonNode claim, Optional<JsonNode> capiCluster, Optional<CachedObject<ClusterSpec>> cluster,
                                Optional<IPPoolSpec> pool, String managementCluster) {
        String poolName = ourPool(claim);
        if (poolName.isEmpty()) {
            return new NotOurs();
        }
        JsonNode metadata = claim.path("metadata");
        String clusterName = clusterName(claim);
        if (clusterName.isEmpty()) {
            return new Wait("the claim names no cluster (spec.clusterName or the " + CAPI_CLUSTER_LABEL + " label)");
        }
        if (capiCluster.isEmpty()) {
            return new Wait("no Cluster API Cluster " + metadata.path("namespace").asText() + "/" + clusterName);
        }
        if (capiCluster.get().path("spec").path("paused").asBoolean(false)
                || capiCluster.get().path("metadata").path("annotations").has(PAUSED_ANNOTATION)) {
            return new Wait("cluster " + metadata.path("namespace").asText() + "/" + clusterName + " is paused");
        }
        if (metadata.has("deletionTimestamp")) {
            return new Release(poolName);
        }
        if (pool.isEmpty()) {
            return new Refuse(poolName, "PoolNotReady", "Drover has no IPPool \"" + poolName + "\"; create it, or fix the "
                    + "flavor's ipPool");
        }
        String team = metadata.path("namespace").asText();
        String environment = cluster.map(found -> found.spec().environment()).orElse("");
        String flavor = cluster.map(found -> found.spec().flavor()).orElse("");
        if (cluster.isEmpty()) {
            return new Refuse(poolName, "AllocationFailed", "no Drover Cluster " + team + "/" + clusterName + "; Drover hands "
                    + "out addresses to the machines of its own clusters only");
        }
        if (!pool.get().allows(flavor, environment, team)) {
            return new Refuse(poolName, "AllocationFailed", "IPPool \"" + poolName + "\" does not let clusters of flavor "
                    + flavor + ", environment " + environment + " and team " + team + " draw addresses (its spec.scope)");
        }
        return new Allocate(poolName, new AddressAllocations.Holder(managementCluster, metadata.path("uid").asText(), team,
                metadata.path("name").asText(), team, clusterName, environment, machine(claim)));
    }

    /** The Drover IPPool a claim names; empty when it names another provider's pool. */
    static String ourPool(JsonNode claim) {
        JsonNode poolRef = claim.path("spec").path("poolRef");
        return poolRef.path("apiGroup").asText().equals(DroverIpam.GROUP) && poolRef.path("kind").asText().equals(DroverIpam.POOL_KIND)
                ? poolRef.path("name").asText() : "";
    }

    static String clusterName(JsonNode claim) {
        String named = claim.path("spec").path("clusterName").asText("");
        return named.isEmpty() ? claim.path("metadata").path("labels").path(CAPI_CLUSTER_LABEL).asText("") : named;
    }

    /** The machine the claim is for: CAPV names its owner, the VSphereVM, after the Machine. */
    static String machine(JsonNode claim) {
        for (JsonNode owner : claim.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return owner.path("name").asText();
            }
        }
        return "";
    }
}
