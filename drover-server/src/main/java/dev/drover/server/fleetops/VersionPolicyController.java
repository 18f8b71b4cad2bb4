package dev.drover.server.fleetops;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.ClockedPass;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes the version policy: each ClusterFlavor's allowed versions classified now ({@code status.versions}) and
 * each Cluster's classification ({@code status.versionSupport}, the SUPPORT column, the VersionSupported condition
 * with a Warning Event when its version becomes deprecated or expires). A whole-fleet pass, woken by flavor and
 * cluster spec changes and at the next stage's start time.
 */
public final class VersionPolicyController implements Controller<ClockedPass.Work> {

    static final StatusWriter.Owner FLAVOR_OWNER = new StatusWriter.Owner("version-policy", Kinds.CLUSTER_FLAVOR,
            Set.of("versions"), Set.of(), Set.of(), Optional.empty());
    static final StatusWriter.Owner CLUSTER_OWNER = new StatusWriter.Owner("version-policy", Kinds.CLUSTER,
            Set.of("versionSupport"), Set.of(VersionPolicyDecisions.VERSION_SUPPORTED), Set.of(), Optional.empty());

    private final StatusWriter statuses;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<ClusterSpec> clusters;
    private final ClockedPass pass;
    /**
     * Each Cluster's last decision with the spec and flavor it was taken for, kept until its next stage starts: the
     * informers keep an unchanged spec as the same object, so a pass during a bulk create decides only the new ones.
     */
    private final Map<ObjectKey, Kept> kept = new HashMap<>();

    private record Kept(ClusterSpec spec, ClusterFlavorSpec flavor, boolean hadSupport, VersionPolicyDecisions.Decision decision) {
        boolean holds(ClusterSpec current, ClusterFlavorSpec currentFlavor, boolean support, Instant now) {
            return spec == current && flavor == currentFlavor && hadSupport == support
                    && decision.nextDue().map(now::isBefore).orElse(true);
        }
    }

    /** Registers its handlers on the informers, so construct it before they start. */
    public VersionPolicyController(StatusWriter statuses, Informer<ClusterFlavorSpec> flavors, Informer<ClusterSpec> clusters,
                                   Clock clock, Duration resync) {
        this.statuses = statuses;
        this.flavors = flavors;
        this.clusters = clusters;
        this.pass = new ClockedPass(clock, resync);
        statuses.register(FLAVOR_OWNER);
        statuses.register(CLUSTER_OWNER);
        flavors.addHandler(pass.onSpecChange());
        clusters.addHandler(pass.onSpecChange());
    }

    public WorkQueue<ClockedPass.Work> queue() {
        return pass.queue();
    }

    @Override
    public String name() {
        return "version-policy";
    }

    @Override
    public Set<ClockedPass.Work> reconcile(List<ClockedPass.Work> batch) {
        Instant now = pass.begin();
        List<StatusWriter.Update> flavorUpdates = new ArrayList<>();
        List<StatusWriter.Update> clusterUpdates = new ArrayList<>();
        Map<String, ClusterFlavorSpec> flavorSpecs = new HashMap<>();
        for (CachedObject<ClusterFlavorSpec> flavor : flavors.list()) {
            flavorSpecs.put(flavor.name(), flavor.spec());
            var decision = VersionPolicyDecisions.flavor(flavor.key(), flavor.generation(), flavor.spec(),
                    flavor.statusJson().contains("\"versions\":"), now);
            pass.decided(decision.update(), decision.nextDue(), flavorUpdates);
        }
        Set<ObjectKey> seen = new java.util.HashSet<>();
        for (CachedObject<ClusterSpec> cluster : clusters.list()) {
            ClusterFlavorSpec flavor = flavorSpecs.get(cluster.spec().flavor());
            if (flavor == null || cluster.deleting()) {
                continue;
            }
            boolean hadSupport = cluster.statusJson().contains("\"versionSupport\":");
            if (flavor.kubernetesVersions().lifecycle().isEmpty() && !hadSupport) {
                continue;
            }
            seen.add(cluster.key());
            Kept last = kept.get(cluster.key());
            VersionPolicyDecisions.Decision decision;
            if (last != null && last.holds(cluster.spec(), flavor, hadSupport, now)) {
                decision = last.decision();
            } else {
                decision = VersionPolicyDecisions.cluster(cluster.key(), cluster.generation(), cluster.spec(),
                        cluster.spec().flavor(), flavor, hadSupport, now);
                kept.put(cluster.key(), new Kept(cluster.spec(), flavor, hadSupport, decision));
            }
            pass.decided(decision.update(), decision.nextDue(), clusterUpdates);
        }
        kept.keySet().retainAll(seen);
        statuses.write(FLAVOR_OWNER, flavorUpdates);
        statuses.write(CLUSTER_OWNER, clusterUpdates);
        pass.end();
        return Set.of();
    }
}
