package dev.drover.server.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.ipam.AddressPlan;
import dev.drover.model.ipam.DroverIpam;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.store.AddressAllocations;
import dev.drover.server.store.LeaderFence;
import dev.drover.server.store.ObjectKey;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drover as the Cluster API IPAM provider of its IPPools. On the management cluster it keeps a mirror of each pool
 * (the contract wants the pool kind served there, and IPAddresses owned by it), answers each IPAddressClaim that
 * names one with an IPAddress allocated in Drover's database, and gives the address back when the claim goes. It
 * writes each IPPool's usage and Ready condition, a NodeAddressesAllocated condition on the Drover Clusters whose
 * machines claim addresses, and releases, with an Event, addresses whose claim and cluster have been gone longer than
 * the reclaim time (a leak: a claim deleted while Drover was not watching). Without a management cluster it keeps
 * the pools' usage only.
 */
public final class IpamController implements Controller<IpamController.Work>, AutoCloseable {

    /** What to look at: one claim, one pool, or every allocation for leaks. */
    public sealed interface Work {
        record Claim(String namespace, String name) implements Work {
        }

        record Pool(String name) implements Work {
        }

        record Sweep() implements Work {
        }
    }

    static final ManagementCluster.Resource CLAIMS = new ManagementCluster.Resource("ipam.cluster.x-k8s.io", "v1beta2",
            "IPAddressClaim", "ipaddressclaims", true);
    static final ManagementCluster.Resource ADDRESSES = new ManagementCluster.Resource("ipam.cluster.x-k8s.io", "v1beta2",
            "IPAddress", "ipaddresses", true);
    static final ManagementCluster.Resource POOLS = new ManagementCluster.Resource(DroverIpam.GROUP, DroverIpam.VERSION,
            DroverIpam.POOL_KIND, DroverIpam.POOL_PLURAL, false);
    /** On the IPAddresses and pool mirrors Drover writes: which Drover IPPool they belong to. */
    static final String POOL_LABEL = DroverIpam.GROUP + "/pool";
    static final String ALLOCATED = "NodeAddressesAllocated";
    static final StatusWriter.Owner POOL_STATUS = new StatusWriter.Owner("ipam", Kinds.IP_POOL,
            Set.of("total", "used", "free", "summary", "teams", "environments"), Set.of("Ready"), Set.of(), Optional.empty());
    static final StatusWriter.Owner CLUSTER_STATUS = new StatusWriter.Owner("ipam", Kinds.CLUSTER, Set.of(), Set.of(ALLOCATED),
            Set.of(), Optional.empty());
    /** The longest pause between two looks for leaks; shorter when the reclaim time is. */
    private static final Duration SWEEP_AT_MOST_EVERY = Duration.ofMinutes(1);
    /** Concurrent writes to the management cluster per batch. */
    private static final int WRITERS = 8;
    private static final Duration EXHAUSTED_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(IpamController.class);

    private final StatusWriter statuses;
    private final Informer<IPPoolSpec> pools;
    private final Informer<ClusterSpec> clusters;
    private final Optional<ManagementCluster> management;
    private final AddressAllocations allocations;
    private final LeaderFence fence;
    private final Clock clock;
    private final Duration reclaimAfter;
    private final Duration sweepEvery;
    private final WorkQueue<Work> queue = new WorkQueue<>(Duration.ofSeconds(1), Duration.ofMinutes(2));
    private final Optional<ManagementCluster.Watch> claims;
    private final Optional<ManagementCluster.Watch> mirrors;
    private final Optional<ManagementCluster.Watch> addresses;
    /** Events about pools, by pool, recorded with the next write of their status; the controller's thread only. */
    private final Map<String, List<StatusWriter.Notice>> pendingNotices = new HashMap<>();
    private final java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(WRITERS,
            Thread.ofPlatform().daemon().name("ipam-writer-", 0).factory());
    /** What each claim got last, by namespace/name, for its cluster's condition; written by the writers of one batch. */
    private final Map<String, ClaimState> claimStates = new java.util.concurrent.ConcurrentHashMap<>();
    /** Since when each held allocation's claim has been missing, by claim uid; the controller's thread only. */
    private final Map<String, Instant> missingSince = new HashMap<>();

    /** A claim's last outcome: whether it holds an address, and why not. */
    record ClaimState(String team, String cluster, boolean ready, String reason, String message) {
    }

    /** Registers its handlers on the informers and the management cluster, so construct it before they start. */
    public IpamController(StatusWriter statuses, Informer<IPPoolSpec> pools, Informer<ClusterSpec> clusters,
                          Optional<ManagementCluster> management, AddressAllocations allocations, LeaderFence fence, Clock clock,
                          Duration reclaimAfter) {
        this.statuses = statuses;
        this.pools = pools;
        this.clusters = clusters;
        this.management = management;
        this.allocations = allocations;
        this.fence = fence;
        this.clock = clock;
        this.reclaimAfter = reclaimAfter;
        this.sweepEvery = reclaimAfter.compareTo(SWEEP_AT_MOST_EVERY) < 0 ? reclaimAfter : SWEEP_AT_MOST_EVERY;
        statuses.register(POOL_STATUS);
        statuses.register(CLUSTER_STATUS);
        pools.addHandler((before, after) -> {
            String name = after.or(() -> before).orElseThrow().name();
            queue.add(new Work.Pool(name));
            if (before.isEmpty() || after.isEmpty() || !before.get().spec().equals(after.get().spec())) {
                // A claim refused for a missing pool, or one outside the scope, may get its address now.
                claimsOf(claim -> ClaimDecision.ourPool(claim).equals(name)).forEach(queue::add);
            }
        });
        clusters.addHandler((before, after) -> {
            if (before.isEmpty() || after.isEmpty()) {
                CachedObject<ClusterSpec> cluster = after.or(() -> before).orElseThrow();
                claimsOf(claim -> claim.path("metadata").path("namespace").asText().equals(cluster.namespace())
                        && ClaimDecision.clusterName(claim).equals(cluster.name())).forEach(queue::add);
            }
        });
        this.claims = management.map(cluster -> cluster.watch(CLAIMS, Optional.empty(), claim -> {
            if (ClaimDecision.ourPool(claim).isEmpty()) {
                return;
            }
            queue.add(claimWork(claim));
        }));
        this.addresses = management.map(cluster -> cluster.watch(ADDRESSES, Optional.of(POOL_LABEL), address -> queue.add(
                new Work.Claim(address.path("metadata").path("namespace").asText(), address.path("metadata").path("name").asText()))));
        this.mirrors = management.map(cluster -> cluster.watch(POOLS, Optional.empty(), mirror ->
                queue.add(new Work.Pool(mirror.path("metadata").path("name").asText()))));
        management.ifPresent(cluster -> {
            // A cluster that is unpaused, or appears, lets its waiting claims go on.
            cluster.onChange(id -> claimsOf(claim -> claim.path("metadata").path("namespace").asText().equals(id.team())
                    && ClaimDecision.clusterName(claim).equals(id.name())).forEach(queue::add));
            cluster.onHealthChange(() -> pools.list().forEach(pool -> queue.add(new Work.Pool(pool.name()))));
        });
        queue.addAfter(new Work.Sweep(), sweepEvery);
    }

    public WorkQueue<Work> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "ipam";
    }

    @Override
    public Set<Work> reconcile(List<Work> batch) {
        Set<Work> retry = new HashSet<>();
        Set<String> poolsTouched = new HashSet<>();
        Set<ClusterId> clustersTouched = new HashSet<>();
        Map<String, List<Claimed>> toAllocate = new LinkedHashMap<>();
        for (Work work : batch) {
            switch (work) {
                case Work.Claim claim -> {
                    try {
                        handleClaim(claim, toAllocate, poolsTouched, clustersTouched);
                    } catch (RuntimeException failed) {
                        LOG.warn("IPAddressClaim {}/{}: {}", claim.namespace(), claim.name(), failed.toString());
                        retry.add(claim);
                    }
                }
                case Work.Pool pool -> poolsTouched.add(pool.name());
                case Work.Sweep sweep -> {
                    poolsTouched.addAll(sweep());
                    queue.addAfter(sweep, sweepEvery);
                }
            }
        }
        toAllocate.forEach((pool, claimed) -> {
            // The finalizer first: an address is allocated only for a claim that cannot go without releasing it.
            List<Claimed> held = inParallel(claimed, one -> {
                ensureFinalizer(one.claim());
                return one;
            }, one -> retry.add(claimWork(one.claim())));
            try {
                Map<AddressAllocations.Holder, AddressAllocations.Outcome> outcomes = allocations.allocate(pool,
                        held.stream().map(Claimed::holder).toList(), fence);
                inParallel(held, one -> {
                    answer(one, outcomes.get(one.holder()));
                    return one;
                }, one -> retry.add(claimWork(one.claim())));
            } catch (RuntimeException failed) {
                LOG.warn("allocating from IPPool {} failed, retrying: {}", pool, failed.toString());
                held.forEach(one -> retry.add(claimWork(one.claim())));
            }
            poolsTouched.add(pool);
            claimed.forEach(one -> clustersTouched.add(new ClusterId(one.holder().team(), one.holder().cluster())));
        });
        writePools(poolsTouched);
        writeClusters(clustersTouched);
        return retry;
    }

    /**
     * Runs the management-cluster writes of a batch on {@link #WRITERS} threads: each claim's are a few round trips,
     * which one after the other would make the thousandth claim of a burst wait for all the others.
     *
     * @return the items whose work succeeded, in order; the failed ones are logged and handed to {@code failed}
     */
    private <T> List<T> inParallel(List<T> items, java.util.function.UnaryOperator<T> work, java.util.function.Consumer<T> failed) {
        List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(writers.submit(() -> work.apply(item)));
        }
        List<T> done = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            try {
                done.add(futures.get(index).get());
            } catch (java.util.concurrent.ExecutionException writeFailed) {
                LOG.warn("IPAM: {}", writeFailed.getCause().toString());
                failed.accept(items.get(index));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to the management cluster", interrupted);
            }
        }
        return done;
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }

    /** A claim to allocate for, with what it is. */
    private record Claimed(JsonNode claim, AddressAllocations.Holder holder) {
    }

    private void handleClaim(Work.Claim work, Map<String, List<Claimed>> toAllocate, Set<String> poolsTouched,
                             Set<ClusterId> clustersTouched) {
        ManagementCluster cluster = management.orElseThrow();
        Optional<JsonNode> observed = claims.orElseThrow().get(work.namespace(), work.name());
        if (observed.isEmpty()) {
            // Gone: its finalizer was released, or it was never Drover's. A leak is the sweep's.
            ClaimState last = claimStates.remove(work.namespace() + "/" + work.name());
            if (last != null) {
                clustersTouched.add(new ClusterId(last.team(), last.cluster()));
            }
            return;
        }
        JsonNode claim = observed.get();
        String clusterName = ClaimDecision.clusterName(claim);
        Optional<JsonNode> capiCluster = cluster.observation(new ClusterId(work.namespace(), clusterName.isEmpty() ? "-" : clusterName))
                .cluster();
        Optional<CachedObject<ClusterSpec>> droverCluster = clusters.get(new ObjectKey(Kinds.CLUSTER.kind(), work.namespace(),
                clusterName)).filter(found -> !clusterName.isEmpty());
        String poolName = ClaimDecision.ourPool(claim);
        Optional<IPPoolSpec> pool = pools.get(new ObjectKey(Kinds.IP_POOL.kind(), "", poolName)).map(CachedObject::spec);
        switch (ClaimDecision.decide(claim, capiCluster, droverCluster, pool, cluster.server())) {
            case ClaimDecision.NotOurs ignored -> {
            }
            case ClaimDecision.Wait waiting -> LOG.debug("IPAddressClaim {}/{} waits: {}", work.namespace(), work.name(), waiting.why());
            case ClaimDecision.Release release -> {
                String uid = claim.path("metadata").path("uid").asText();
                allocations.release(cluster.server(), List.of(uid), "released", fence);
                Optional<JsonNode> address = addressOf(work);
                if (address.isPresent()) {
                    removeFinalizer(ADDRESSES, address.get(), DroverIpam.ADDRESS_FINALIZER);
                    cluster.delete(ADDRESSES, work.namespace(), work.name());
                }
                removeFinalizer(CLAIMS, claim, DroverIpam.CLAIM_FINALIZER);
                claimStates.remove(work.namespace() + "/" + work.name());
                // Claims the pool could not answer may get the address (at once when the pool's reuseAfter is 0m).
                claimsOf(waiting -> ClaimDecision.ourPool(waiting).equals(release.pool())
                        && !Optional.ofNullable(claimStates.get(waiting.path("metadata").path("namespace").asText() + "/"
                        + waiting.path("metadata").path("name").asText())).map(ClaimState::ready).orElse(true))
                        .forEach(queue::add);
                poolsTouched.add(release.pool());
                clustersTouched.add(new ClusterId(work.namespace(), clusterName));
            }
            case ClaimDecision.Refuse refusal -> {
                writeClaimStatus(claim, Optional.empty(), false, refusal.reason(), refusal.message());
                claimStates.put(work.namespace() + "/" + work.name(), new ClaimState(work.namespace(), clusterName, false,
                        refusal.reason(), "claim " + work.name() + ": " + refusal.message()));
                clustersTouched.add(new ClusterId(work.namespace(), clusterName));
            }
            case ClaimDecision.Allocate allocate -> {
                toAllocate.computeIfAbsent(allocate.pool(), ignored -> new ArrayList<>()).add(new Claimed(claim, allocate.holder()));
            }
        }
    }

    private void answer(Claimed claimed, AddressAllocations.Outcome outcome) {
        JsonNode claim = claimed.claim();
        String key = claimed.holder().claimNamespace() + "/" + claimed.holder().claimName();
        String pool = ClaimDecision.ourPool(claim);
        switch (outcome) {
            case AddressAllocations.Outcome.Allocated allocated -> {
                Optional<JsonNode> mirror = mirrors.orElseThrow().get("", pool);
                if (mirror.isEmpty()) {
                    String message = "the management cluster has no " + DroverIpam.POOL_KIND + "." + DroverIpam.GROUP + " \"" + pool
                            + "\" yet (Drover writes it; is the CRD " + DroverIpam.POOL_PLURAL + "." + DroverIpam.GROUP + " installed?)";
                    writeClaimStatus(claim, Optional.empty(), false, "PoolNotReady", message);
                    claimStates.put(key, new ClaimState(claimed.holder().team(), claimed.holder().cluster(), false, "PoolNotReady",
                            "claim " + claimed.holder().claimName() + ": " + message));
                    queue.addAfter(new Work.Claim(claimed.holder().claimNamespace(), claimed.holder().claimName()), Duration.ofSeconds(5));
                    return;
                }
                IPPoolSpec spec = pools.get(new ObjectKey(Kinds.IP_POOL.kind(), "", pool)).map(CachedObject::spec).orElseThrow();
                Optional<JsonNode> existing = addressOf(new Work.Claim(claimed.holder().claimNamespace(), claimed.holder().claimName()));
                if (existing.isPresent() && existing.get().path("metadata").has("deletionTimestamp")) {
                    // Deleted by someone while the claim holds it: let it go; it is made again, same address, next pass.
                    removeFinalizer(ADDRESSES, existing.get(), DroverIpam.ADDRESS_FINALIZER);
                    queue.addAfter(new Work.Claim(claimed.holder().claimNamespace(), claimed.holder().claimName()), Duration.ofSeconds(1));
                    return;
                }
                ObjectNode wanted = ipAddress(claim, allocated.allocation(), spec, mirror.get());
                // Each claim comes back with the events of Drover's own writes: an IPAddress as wanted is left alone.
                if (existing.isEmpty() || !existing.get().path("spec").equals(wanted.path("spec"))
                        || !existing.get().path("metadata").path("ownerReferences").equals(wanted.path("metadata").path("ownerReferences"))) {
                    management.orElseThrow().apply(ADDRESSES, wanted);
                }
                String message = allocated.allocation().address() + "/" + spec.prefix() + " from IPPool " + pool;
                writeClaimStatus(claim, Optional.of(claimed.holder().claimName()), true, "Allocated", message);
                claimStates.put(key, new ClaimState(claimed.holder().team(), claimed.holder().cluster(), true, "Allocated", message));
            }
            case AddressAllocations.Outcome.Exhausted exhausted -> {
                String message = "IPPool \"" + pool + "\" has no free address (all " + exhausted.total() + " held or resting); "
                        + "add addresses to it, or remove machines";
                writeClaimStatus(claim, Optional.empty(), false, "PoolExhausted", message);
                // Released addresses come free when their rest ends: look again now and then.
                queue.addAfter(new Work.Claim(claimed.holder().claimNamespace(), claimed.holder().claimName()), EXHAUSTED_RETRY);
                claimStates.put(key, new ClaimState(claimed.holder().team(), claimed.holder().cluster(), false, "PoolExhausted",
                        "claim " + claimed.holder().claimName() + ": " + message));
            }
            case AddressAllocations.Outcome.PoolMissing missing -> {
                String message = "Drover has no IPPool \"" + pool + "\"";
                writeClaimStatus(claim, Optional.empty(), false, "PoolNotReady", message);
                claimStates.put(key, new ClaimState(claimed.holder().team(), claimed.holder().cluster(), false, "PoolNotReady",
                        "claim " + claimed.holder().claimName() + ": " + message));
            }
        }
    }

    /** The IPAddress of an allocation, as the contract describes it: the claim's name, owned by the claim and the pool. */
    static ObjectNode ipAddress(JsonNode claim, AddressAllocations.Allocation allocation, IPPoolSpec spec, JsonNode mirror) {
        ObjectNode address = Json.MAPPER.createObjectNode();
        address.put("apiVersion", ADDRESSES.apiVersion());
        address.put("kind", ADDRESSES.kind());
        ObjectNode metadata = address.putObject("metadata");
        metadata.put("name", claim.path("metadata").path("name").asText());
        metadata.put("namespace", claim.path("metadata").path("namespace").asText());
        ObjectNode labels = metadata.putObject("labels");
        labels.put(POOL_LABEL, allocation.pool());
        String clusterName = ClaimDecision.clusterName(claim);
        if (!clusterName.isEmpty()) {
            labels.put(ClaimDecision.CAPI_CLUSTER_LABEL, clusterName);
        }
        metadata.putArray("finalizers").add(DroverIpam.ADDRESS_FINALIZER);
        ArrayNode owners = metadata.putArray("ownerReferences");
        owners.addObject().put("apiVersion", CLAIMS.apiVersion()).put("kind", CLAIMS.kind())
                .put("name", claim.path("metadata").path("name").asText()).put("uid", claim.path("metadata").path("uid").asText())
                .put("controller", true).put("blockOwnerDeletion", true);
        owners.addObject().put("apiVersion", POOLS.apiVersion()).put("kind", DroverIpam.POOL_KIND)
                .put("name", allocation.pool()).put("uid", mirror.path("metadata").path("uid").asText())
                .put("controller", false).put("blockOwnerDeletion", true);
        ObjectNode addressSpec = address.putObject("spec");
        addressSpec.put("address", allocation.address());
        addressSpec.put("prefix", spec.prefix());
        spec.gateway().ifPresent(gateway -> addressSpec.put("gateway", gateway));
        addressSpec.putObject("claimRef").put("name", claim.path("metadata").path("name").asText());
        addressSpec.putObject("poolRef").put("apiGroup", DroverIpam.GROUP).put("kind", DroverIpam.POOL_KIND)
                .put("name", allocation.pool());
        return address;
    }

    private void writeClaimStatus(JsonNode claim, Optional<String> addressName, boolean ready, String reason, String message) {
        JsonNode current = claim.path("status");
        JsonNode previous = Json.MAPPER.createObjectNode();
        for (JsonNode condition : current.path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                previous = condition;
            }
        }
        String status = ready ? "True" : "False";
        boolean same = previous.path("status").asText().equals(status) && previous.path("reason").asText().equals(reason)
                && previous.path("message").asText().equals(message)
                && current.path("addressRef").path("name").asText("").equals(addressName.orElse(""));
        if (same) {
            return;
        }
        ObjectNode patch = Json.MAPPER.createObjectNode();
        patch.put("apiVersion", CLAIMS.apiVersion());
        patch.put("kind", CLAIMS.kind());
        patch.putObject("metadata").put("name", claim.path("metadata").path("name").asText())
                .put("namespace", claim.path("metadata").path("namespace").asText());
        ObjectNode statusNode = patch.putObject("status");
        addressName.ifPresent(name -> statusNode.putObject("addressRef").put("name", name));
        String since = previous.path("status").asText().equals(status) ? previous.path("lastTransitionTime").asText()
                : clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        statusNode.putArray("conditions").addObject().put("type", "Ready").put("status", status).put("reason", reason)
                .put("message", message).put("lastTransitionTime", since)
                .put("observedGeneration", claim.path("metadata").path("generation").asLong(1));
        management.orElseThrow().applyStatus(CLAIMS, patch);
    }

    private void ensureFinalizer(JsonNode claim) {
        JsonNode finalizers = claim.path("metadata").path("finalizers");
        for (JsonNode finalizer : finalizers) {
            if (finalizer.asText().equals(DroverIpam.CLAIM_FINALIZER)) {
                return;
            }
        }
        ArrayNode wanted = finalizers.isArray() ? ((ArrayNode) finalizers).deepCopy() : Json.MAPPER.createArrayNode();
        wanted.add(DroverIpam.CLAIM_FINALIZER);
        patchFinalizers(CLAIMS, claim, wanted);
    }

    private void removeFinalizer(ManagementCluster.Resource resource, JsonNode object, String removed) {
        ArrayNode remaining = Json.MAPPER.createArrayNode();
        boolean had = false;
        for (JsonNode finalizer : object.path("metadata").path("finalizers")) {
            if (finalizer.asText().equals(removed)) {
                had = true;
            } else {
                remaining.add(finalizer);
            }
        }
        if (had) {
            patchFinalizers(resource, object, remaining);
        }
    }

    /** Sets the finalizers, refused when the object changed since it was observed (the next event brings it again). */
    private void patchFinalizers(ManagementCluster.Resource resource, JsonNode object, ArrayNode finalizers) {
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.put("resourceVersion", object.path("metadata").path("resourceVersion").asText());
        metadata.set("finalizers", finalizers);
        management.orElseThrow().mergePatch(resource, object.path("metadata").path("namespace").asText(),
                object.path("metadata").path("name").asText(), patch);
    }

    private Optional<JsonNode> addressOf(Work.Claim claim) {
        return addresses.flatMap(watch -> watch.get(claim.namespace(), claim.name()));
    }

    /** Releases the allocations whose claim and cluster have been gone for the reclaim time; the pools it touched. */
    private Set<String> sweep() {
        Set<String> touched = new HashSet<>();
        if (management.isEmpty() || !claims.orElseThrow().synced() || !management.get().health().reachable()) {
            return touched;
        }
        String server = management.get().server();
        Set<String> present = new HashSet<>();
        claims.orElseThrow().list().forEach(claim -> present.add(claim.path("metadata").path("uid").asText()));
        Instant now = clock.instant();
        Map<String, List<AddressAllocations.Allocation>> leaked = new TreeMap<>();
        Set<String> held = new HashSet<>();
        for (AddressAllocations.Allocation allocation : allocations.list(new AddressAllocations.Query(Optional.empty(),
                Optional.empty(), Optional.empty(), false))) {
            if (!allocation.holder().managementCluster().equals(server)) {
                continue;
            }
            String uid = allocation.holder().claimUid();
            held.add(uid);
            boolean clusterGone = clusters.get(new ObjectKey(Kinds.CLUSTER.kind(), allocation.holder().team(),
                    allocation.holder().cluster())).isEmpty();
            if (present.contains(uid) || !clusterGone) {
                missingSince.remove(uid);
                continue;
            }
            Instant since = missingSince.computeIfAbsent(uid, ignored -> now);
            if (!since.plus(reclaimAfter).isAfter(now)) {
                leaked.computeIfAbsent(allocation.pool(), ignored -> new ArrayList<>()).add(allocation);
            }
        }
        missingSince.keySet().retainAll(held);
        leaked.forEach((pool, gone) -> {
            List<AddressAllocations.Allocation> released = allocations.release(server,
                    gone.stream().map(allocation -> allocation.holder().claimUid()).toList(), "reclaimed", fence);
            released.forEach(allocation -> missingSince.remove(allocation.holder().claimUid()));
            touched.add(pool);
            String addresses = String.join(", ", released.stream().map(allocation -> allocation.address() + " ("
                    + allocation.holder().claimNamespace() + "/" + allocation.holder().claimName() + ")").toList());
            LOG.warn("IPPool {}: reclaimed {} leaked address(es): {}", pool, released.size(), addresses);
            pendingNotices.computeIfAbsent(pool, ignored -> new ArrayList<>()).add(new StatusWriter.Notice(true,
                    "AddressesReclaimed", "released "
                    + released.size() + " address(es) whose claim and cluster were gone for " + reclaimAfter.toSeconds()
                    + " s: " + addresses));
        });
        return touched;
    }

    private void writePools(Set<String> names) {
        if (names.isEmpty()) {
            return;
        }
        List<StatusWriter.Update> updates = new ArrayList<>();
        // The notices go with the usage this pass writes, which the release changed.
        Map<String, List<StatusWriter.Notice>> notices = new HashMap<>(pendingNotices);
        pendingNotices.clear();
        for (String name : names) {
            Optional<CachedObject<IPPoolSpec>> pool = pools.get(new ObjectKey(Kinds.IP_POOL.kind(), "", name));
            if (pool.isEmpty()) {
                management.ifPresent(cluster -> mirrors.orElseThrow().get("", name).ifPresent(mirror -> {
                    try {
                        cluster.delete(POOLS, "", name);
                    } catch (RuntimeException failed) {
                        LOG.warn("deleting the mirror of IPPool {} failed: {}", name, failed.toString());
                    }
                }));
                continue;
            }
            PoolUsage usage = PoolUsage.of(AddressPlan.of(pool.get().spec()), allocations.list(new AddressAllocations.Query(
                    Optional.of(name), Optional.empty(), Optional.empty(), true)), pool.get().spec(), clock.instant());
            Condition ready = usage.free() == 0
                    ? Condition.of("Ready", Condition.ConditionStatus.FALSE, pool.get().generation(), "PoolExhausted",
                    "no free address: " + usage.used() + " of " + usage.total() + " held or resting")
                    : Condition.of("Ready", Condition.ConditionStatus.TRUE, pool.get().generation(), "Ready",
                    usage.free() + " of " + usage.total() + " addresses free");
            if (management.isPresent()) {
                Optional<String> problem = mirror(pool.get(), usage);
                if (problem.isPresent()) {
                    ready = Condition.of("Ready", Condition.ConditionStatus.FALSE, pool.get().generation(), "PoolNotReady",
                            problem.get());
                }
            }
            updates.add(new StatusWriter.Update(pool.get().key(), usage.fields(), List.of(ready), Map.of(),
                    StatusWriter.Finalizer.KEEP, notices.getOrDefault(name, List.of())));
        }
        statuses.write(POOL_STATUS, updates);
    }

    /** Writes the pool's mirror on the management cluster; what went wrong, if anything. */
    private Optional<String> mirror(CachedObject<IPPoolSpec> pool, PoolUsage usage) {
        ManagementCluster cluster = management.orElseThrow();
        if (!cluster.health().reachable()) {
            return Optional.of("the management cluster does not answer: " + cluster.health().problem());
        }
        ObjectNode mirror = Json.MAPPER.createObjectNode();
        mirror.put("apiVersion", POOLS.apiVersion());
        mirror.put("kind", DroverIpam.POOL_KIND);
        mirror.putObject("metadata").put("name", pool.name()).putObject("labels").put(POOL_LABEL, pool.name());
        ObjectNode spec = mirror.putObject("spec");
        spec.set("addresses", Json.MAPPER.valueToTree(pool.spec().addresses()));
        spec.put("prefix", pool.spec().prefix());
        pool.spec().gateway().ifPresent(gateway -> spec.put("gateway", gateway));
        try {
            cluster.apply(POOLS, mirror);
            ObjectNode status = Json.MAPPER.createObjectNode();
            status.put("apiVersion", POOLS.apiVersion());
            status.put("kind", DroverIpam.POOL_KIND);
            status.putObject("metadata").put("name", pool.name());
            ObjectNode fields = status.putObject("status");
            fields.put("total", usage.total()).put("used", usage.used()).put("free", usage.free());
            String readyStatus = usage.free() == 0 ? "False" : "True";
            JsonNode observedMirror = mirrors.orElseThrow().get("", pool.name()).orElse(Json.MAPPER.createObjectNode());
            String since = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
            for (JsonNode condition : observedMirror.path("status").path("conditions")) {
                if (condition.path("type").asText().equals("Ready") && condition.path("status").asText().equals(readyStatus)) {
                    since = condition.path("lastTransitionTime").asText(since);
                }
            }
            fields.putArray("conditions").addObject().put("type", "Ready").put("status", readyStatus)
                    .put("reason", usage.free() == 0 ? "PoolExhausted" : "Ready")
                    .put("message", usage.free() + " of " + usage.total() + " addresses free; Drover allocates them")
                    .put("lastTransitionTime", since);
            cluster.applyStatus(POOLS, status);
            return Optional.empty();
        } catch (RuntimeException failed) {
            queue.addAfter(new Work.Pool(pool.name()), Duration.ofSeconds(10));
            return Optional.of("cannot write the pool's mirror " + DroverIpam.POOL_KIND + "." + DroverIpam.GROUP + " \"" + pool.name()
                    + "\" on the management cluster (is the CRD " + DroverIpam.POOL_PLURAL + "." + DroverIpam.GROUP
                    + " from deploy/crds installed?): " + Optional.ofNullable(failed.getMessage()).orElse(failed.toString()));
        }
    }

    private void writeClusters(Set<ClusterId> ids) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        for (ClusterId id : ids) {
            Optional<CachedObject<ClusterSpec>> cluster = clusters.get(new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name()));
            if (cluster.isEmpty()) {
                continue;
            }
            List<ClaimState> states = claimStates.values().stream()
                    .filter(state -> state.team().equals(id.team()) && state.cluster().equals(id.name())).toList();
            if (states.isEmpty()) {
                continue;
            }
            List<ClaimState> failing = states.stream().filter(state -> !state.ready()).toList();
            Condition condition = failing.isEmpty()
                    ? Condition.of(ALLOCATED, Condition.ConditionStatus.TRUE, cluster.get().generation(), "Allocated",
                    states.size() + " machine address(es) allocated")
                    : Condition.of(ALLOCATED, Condition.ConditionStatus.FALSE, cluster.get().generation(), failing.getFirst().reason(),
                    failing.size() + " of " + states.size() + " address claim(s) not answered; " + failing.getFirst().message());
            updates.add(new StatusWriter.Update(cluster.get().key(), Map.of(), List.of(condition)));
        }
        statuses.write(CLUSTER_STATUS, updates);
    }

    private List<Work> claimsOf(java.util.function.Predicate<JsonNode> matches) {
        return claims.map(watch -> watch.list().stream().filter(matches).map(IpamController::claimWork).toList()).orElse(List.of());
    }

    private static Work claimWork(JsonNode claim) {
        return new Work.Claim(claim.path("metadata").path("namespace").asText(), claim.path("metadata").path("name").asText());
    }

    /** A pool's counts, for its status. */
    record PoolUsage(long total, long used, long free, Map<String, Long> teams, Map<String, Long> environments) {

        static PoolUsage of(AddressPlan plan, List<AddressAllocations.Allocation> rows, IPPoolSpec spec, Instant now) {
            Instant restingSince = now.minus(dev.drover.model.environment.Lifetime.parse(
                    spec.reuseAfter().orElse(IPPoolSpec.DEFAULT_REUSE_AFTER)));
            long used = 0;
            Map<String, Long> teams = new TreeMap<>();
            Map<String, Long> environments = new TreeMap<>();
            for (AddressAllocations.Allocation row : rows) {
                if (!plan.contains(dev.drover.model.ipam.IpAddress.parse(row.address()))) {
                    continue;
                }
                if (row.held()) {
                    used++;
                    teams.merge(row.holder().team(), 1L, Long::sum);
                    environments.merge(row.holder().environment().isEmpty() ? "unknown" : row.holder().environment(), 1L, Long::sum);
                } else if (row.releasedAt().get().isAfter(restingSince)) {
                    used++;
                }
            }
            long total = plan.size().min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            return new PoolUsage(total, used, Math.max(0, total - used), teams, environments);
        }

        Map<String, JsonNode> fields() {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            fields.put("total", Json.MAPPER.getNodeFactory().numberNode(total));
            fields.put("used", Json.MAPPER.getNodeFactory().numberNode(used));
            fields.put("free", Json.MAPPER.getNodeFactory().numberNode(free));
            fields.put("summary", Json.MAPPER.getNodeFactory().textNode(used + "/" + total));
            fields.put("teams", usages(teams));
            fields.put("environments", usages(environments));
            return fields;
        }

        private static ArrayNode usages(Map<String, Long> counts) {
            ArrayNode list = Json.MAPPER.createArrayNode();
            counts.forEach((name, count) -> list.addObject().put("name", name).put("used", count));
            return list;
        }
    }
}
