package dev.drover.server.addon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.addon.AddonResolution;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes each AddonProfile's status: the version matrix (per add-on, how many clusters in which environments have
 * each version committed, from the Clusters' status.addons) and a Conflicting condition naming the clusters where it
 * ties with another profile. Woken by profile spec changes and by Clusters whose labels, deletion or committed add-ons
 * changed.
 */
public final class AddonProfileStatusController implements Controller<AddonProfileStatusController.Work> {

    /** The one thing to do: every profile's status, since one cluster's add-ons count in several profiles. */
    public enum Work { PROFILES }

    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("addon-profiles", Kinds.ADDON_PROFILE,
            Set.of("observedGeneration", "clusters", "addons", "summary"), Set.of("Conflicting"), Set.of(), Optional.empty(),
            Set.of("Conflicting"));

    /**
     * How long a change waits before the whole-fleet pass runs: the changes of a burst (a bulk create, a profile
     * rolled out) are taken in one pass, and the fleet reconciler's own status write is not queued behind this one.
     */
    private static final Duration SETTLE = Duration.ofMillis(200);

    private final StatusWriter statuses;
    private final Informer<AddonProfileSpec> profiles;
    private final Informer<ClusterSpec> clusters;
    private final WorkQueue<Work> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));
    /** Used on the controller's thread only. */
    private final Map<ObjectKey, BoundAddons> boundAddons = new HashMap<>();
    /** Used on the controller's thread only: each Cluster's conflicts, for the profiles in resolvedAgainst. */
    private final Map<ObjectKey, ResolvedConflicts> resolvedConflicts = new HashMap<>();
    private SortedMap<String, AddonProfileSpec> resolvedAgainst = new TreeMap<>();

    /** Registers its handlers on the informers, so construct it before they start. */
    public AddonProfileStatusController(StatusWriter statuses, Informer<AddonProfileSpec> profiles,
                                        Informer<ClusterSpec> clusters) {
        this.statuses = statuses;
        this.profiles = profiles;
        this.clusters = clusters;
        statuses.register(OWNER);
        profiles.addHandler((before, after) -> {
            if (before.isEmpty() || after.isEmpty() || !before.get().spec().equals(after.get().spec())) {
                queue.addAfter(Work.PROFILES, SETTLE);
            }
        });
        clusters.addHandler((before, after) -> {
            if (before.isEmpty() || after.isEmpty() || !before.get().labels().equals(after.get().labels())
                    || before.get().deleting() != after.get().deleting()
                    || !before.get().statusJson().equals(after.get().statusJson())) {
                queue.addAfter(Work.PROFILES, SETTLE);
            }
        });
    }

    public WorkQueue<Work> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "addon-profiles";
    }

    @Override
    public Set<Work> reconcile(List<Work> batch) {
        SortedMap<String, CachedObject<AddonProfileSpec>> byName = new TreeMap<>();
        profiles.list().forEach(profile -> byName.put(profile.name(), profile));
        statuses.write(OWNER, decide(byName, clusters.list()));
        return Set.of();
    }

    /** Each profile's status, from the profiles and the Clusters with their committed add-ons. */
    List<StatusWriter.Update> decide(SortedMap<String, CachedObject<AddonProfileSpec>> profiles,
                                            Collection<CachedObject<ClusterSpec>> clusters) {
        Set<ObjectKey> present = new HashSet<>();
        clusters.forEach(cluster -> present.add(cluster.key()));
        boundAddons.keySet().retainAll(present);
        resolvedConflicts.keySet().retainAll(present);
        SortedMap<String, AddonProfileSpec> specs = new TreeMap<>();
        profiles.forEach((name, profile) -> specs.put(name, profile.spec()));
        if (!specs.equals(resolvedAgainst)) {
            resolvedConflicts.clear();
            resolvedAgainst = specs;
        }
        Map<String, SortedSet<String>> conflicts = new HashMap<>();
        Map<String, Integer> clusterCounts = new HashMap<>();
        // profile -> add-on -> version -> (clusters, environments)
        Map<String, SortedMap<String, SortedMap<String, Usage>>> matrix = new HashMap<>();
        for (CachedObject<ClusterSpec> cluster : clusters) {
            if (cluster.deleting()) {
                continue;
            }
            for (AddonResolution.Conflict conflict : conflicts(cluster, specs)) {
                for (String profile : conflict.profiles()) {
                    conflicts.computeIfAbsent(profile, ignored -> new TreeSet<>()).add(cluster.namespace() + "/" + cluster.name() + " (" + conflict.addon()
                            + " with " + String.join(", ", conflict.profiles().stream().filter(other -> !other.equals(profile)).toList()) + ")");
                }
            }
            SortedSet<String> from = new TreeSet<>();
            for (ClusterStatus.AddonStatus addon : committedAddons(cluster)) {
                from.add(addon.profile());
                matrix.computeIfAbsent(addon.profile(), ignored -> new TreeMap<>())
                        .computeIfAbsent(addon.name(), ignored -> new TreeMap<>())
                        .computeIfAbsent(addon.version(), ignored -> new Usage())
                        .add(cluster.spec().environment());
            }
            from.forEach(profile -> clusterCounts.merge(profile, 1, Integer::sum));
        }
        List<StatusWriter.Update> statuses = new ArrayList<>();
        profiles.forEach((name, profile) -> {
            long generation = profile.generation();
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            fields.put("observedGeneration", Json.MAPPER.getNodeFactory().numberNode(generation));
            fields.put("clusters", Json.MAPPER.getNodeFactory().numberNode(clusterCounts.getOrDefault(name, 0)));
            ArrayNode addons = Json.MAPPER.createArrayNode();
            List<String> summary = new ArrayList<>();
            matrix.getOrDefault(name, new TreeMap<>()).forEach((addon, versions) -> {
                ObjectNode entry = addons.addObject();
                entry.put("name", addon);
                ArrayNode list = entry.putArray("versions");
                List<String> shown = new ArrayList<>();
                versions.entrySet().stream()
                        .sorted(Comparator.comparing((Map.Entry<String, Usage> version) -> -version.getValue().clusters)
                                .thenComparing(Map.Entry::getKey))
                        .forEach(version -> {
                            ObjectNode count = list.addObject();
                            count.put("version", version.getKey());
                            count.put("clusters", version.getValue().clusters);
                            version.getValue().environments.forEach(count.withArrayProperty("environments")::add);
                            shown.add(version.getKey() + "×" + version.getValue().clusters);
                        });
                summary.add(addon + " " + String.join(" ", shown));
            });
            fields.put("addons", addons.isEmpty() ? Json.MAPPER.nullNode() : addons);
            fields.put("summary", Json.MAPPER.getNodeFactory().textNode(summary.isEmpty() ? "no clusters" : String.join(", ", summary)));
            SortedSet<String> conflicting = conflicts.getOrDefault(name, new TreeSet<>());
            Condition condition = conflicting.isEmpty()
                    ? Condition.of("Conflicting", false, generation, "NoConflicts",
                    "no other profile gives the profile's clusters an add-on differently at the same priority")
                    : Condition.of("Conflicting", true, generation, "AddonConflict",
                    "equal priority and different settings for " + conflicting.size() + " cluster"
                            + (conflicting.size() == 1 ? "" : "s") + ": " + String.join("; ", conflicting.stream().limit(10).toList())
                            + (conflicting.size() > 10 ? "; ..." : "") + ". Those clusters keep their last committed add-ons; "
                            + "raise one profile's priority or make the settings equal");
            statuses.add(new StatusWriter.Update(new ObjectKey(Kinds.ADDON_PROFILE.kind(), "", name), fields, List.of(condition)));
        });
        return statuses;
    }

    /**
     * The add-ons of the Cluster's committed manifests, as the fleet reconciler wrote them into its status; parsed and
     * bound only when the Cluster's kept status changed, because a pass reads every Cluster's.
     */
    private List<ClusterStatus.AddonStatus> committedAddons(CachedObject<ClusterSpec> cluster) {
        BoundAddons known = boundAddons.get(cluster.key());
        if (known != null && known.statusJson().equals(cluster.statusJson())) {
            return known.addons();
        }
        List<ClusterStatus.AddonStatus> committed = new ArrayList<>();
        cluster.status().path("addons").forEach(addon -> committed.add(Json.bind(addon, ClusterStatus.AddonStatus.class)));
        boundAddons.put(cluster.key(), new BoundAddons(cluster.statusJson(), committed));
        return committed;
    }

    /**
     * The conflicts between profiles for the Cluster's labels, resolved again only when its labels or the profiles
     * changed: a pass looks at every Cluster, and resolving each against every profile was most of its time.
     */
    private List<AddonResolution.Conflict> conflicts(CachedObject<ClusterSpec> cluster, SortedMap<String, AddonProfileSpec> specs) {
        ResolvedConflicts known = resolvedConflicts.get(cluster.key());
        if (known != null && known.labels().equals(cluster.labels())) {
            return known.conflicts();
        }
        List<AddonResolution.Conflict> conflicts = AddonResolution.resolve(cluster.labels(), specs).conflicts();
        resolvedConflicts.put(cluster.key(), new ResolvedConflicts(cluster.labels(), conflicts));
        return conflicts;
    }

    /** The labels a Cluster's conflicts were resolved for. */
    private record ResolvedConflicts(Map<String, String> labels, List<AddonResolution.Conflict> conflicts) {
    }

    /** The Cluster's kept status as the informer had it, and the add-on records bound from it. */
    private record BoundAddons(String statusJson, List<ClusterStatus.AddonStatus> addons) {
    }

    private static final class Usage {
        private int clusters;
        private final SortedSet<String> environments = new TreeSet<>();

        void add(String environment) {
            clusters++;
            environments.add(environment);
        }
    }
}
