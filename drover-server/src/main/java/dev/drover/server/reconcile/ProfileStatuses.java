package dev.drover.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.render.ClusterId;
import dev.drover.model.resource.AddonProfileSpec;
import dev.drover.model.resource.AddonResolution;
import dev.drover.model.resource.ClusterStatus;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kinds;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes each AddonProfile's status: the version matrix (per add-on, how many clusters in which environments have
 * each version committed) and a Conflicting condition naming the clusters where it ties with another profile.
 * Only statuses that changed since the last write are written.
 */
final class ProfileStatuses {

    private final ResourceStore store;
    private final Clock clock;
    private final Map<String, JsonNode> written = new HashMap<>();

    ProfileStatuses(ResourceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void write(SortedMap<String, ProfileState> profiles, Collection<ClusterState> clusters,
               Map<ClusterId, List<ClusterStatus.AddonStatus>> committedAddons) {
        written.keySet().retainAll(profiles.keySet());
        Map<String, ObjectNode> decided = decide(profiles, clusters, committedAddons);
        decided.entrySet().removeIf(entry -> entry.getValue().equals(written.get(entry.getKey())));
        if (decided.isEmpty()) {
            return;
        }
        List<ObjectKey> keys = decided.keySet().stream().map(name -> new ObjectKey(Kinds.ADDON_PROFILE.kind(), "", name)).toList();
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        store.write(new ReadHints(keys, List.of()), transaction -> {
            for (ObjectKey key : keys) {
                Optional<StoredObject> stored = transaction.get(key);
                if (stored.isEmpty()) {
                    continue;
                }
                ObjectNode object = Json.parseObject(stored.get().json());
                ObjectNode status = decided.get(key.name()).deepCopy();
                ArrayNode conditions = status.putArray("conditions");
                for (JsonNode condition : decided.get(key.name()).path("conditions")) {
                    conditions.add(ClusterStatuses.withTransitionTime((ObjectNode) condition,
                            object.path("status").path("conditions"), now));
                }
                if (!ClusterStatuses.same(status, object.path("status"))) {
                    object.set("status", status);
                    transaction.put(key.kind(), key.namespace(), key.name(), stored.get().labels(), stored.get().attributes(), object);
                }
            }
            return null;
        });
        written.putAll(decided);
    }

    /** Each profile's status, without transition times. */
    static Map<String, ObjectNode> decide(SortedMap<String, ProfileState> profiles, Collection<ClusterState> clusters,
                                          Map<ClusterId, List<ClusterStatus.AddonStatus>> committedAddons) {
        SortedMap<String, AddonProfileSpec> specs = new TreeMap<>();
        profiles.forEach((name, state) -> specs.put(name, state.spec()));
        Map<String, SortedSet<String>> conflicts = new HashMap<>();
        Map<String, Integer> clusterCounts = new HashMap<>();
        // profile -> add-on -> version -> (clusters, environments)
        Map<String, SortedMap<String, SortedMap<String, Usage>>> matrix = new HashMap<>();
        for (ClusterState cluster : clusters) {
            if (cluster.deleting()) {
                continue;
            }
            for (AddonResolution.Conflict conflict : AddonResolution.resolve(cluster.labels(), specs).conflicts()) {
                for (String profile : conflict.profiles()) {
                    conflicts.computeIfAbsent(profile, ignored -> new TreeSet<>()).add(cluster.id() + " (" + conflict.addon()
                            + " with " + String.join(", ", conflict.profiles().stream().filter(other -> !other.equals(profile)).toList()) + ")");
                }
            }
            SortedSet<String> from = new TreeSet<>();
            for (ClusterStatus.AddonStatus addon : committedAddons.getOrDefault(cluster.id(), List.of())) {
                from.add(addon.profile());
                matrix.computeIfAbsent(addon.profile(), ignored -> new TreeMap<>())
                        .computeIfAbsent(addon.name(), ignored -> new TreeMap<>())
                        .computeIfAbsent(addon.version(), ignored -> new Usage())
                        .add(cluster.spec().environment());
            }
            from.forEach(profile -> clusterCounts.merge(profile, 1, Integer::sum));
        }
        Map<String, ObjectNode> statuses = new TreeMap<>();
        profiles.forEach((name, state) -> {
            ObjectNode status = Json.MAPPER.createObjectNode();
            status.put("observedGeneration", state.generation());
            status.put("clusters", clusterCounts.getOrDefault(name, 0));
            ArrayNode addons = status.putArray("addons");
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
            if (addons.isEmpty()) {
                status.remove("addons");
            }
            status.put("summary", summary.isEmpty() ? "no clusters" : String.join(", ", summary));
            SortedSet<String> conflicting = conflicts.getOrDefault(name, new TreeSet<>());
            status.putArray("conditions").add(conflicting.isEmpty()
                    ? ClusterStatuses.condition("Conflicting", "False", state.generation(), "NoConflicts",
                    "no other profile gives the profile's clusters an add-on differently at the same priority")
                    : ClusterStatuses.condition("Conflicting", "True", state.generation(), "AddonConflict",
                    "equal priority and different settings for " + conflicting.size() + " cluster"
                            + (conflicting.size() == 1 ? "" : "s") + ": " + String.join("; ", conflicting.stream().limit(10).toList())
                            + (conflicting.size() > 10 ? "; ..." : "") + ". Those clusters keep their last committed add-ons; "
                            + "raise one profile's priority or make the settings equal"));
            statuses.put(name, status);
        });
        return statuses;
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
