package dev.drover.server.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.cost.CostInputs;
import dev.drover.model.render.ClusterId;
import dev.drover.model.render.ClusterRequest;
import dev.drover.model.render.FleetSettings;
import dev.drover.model.render.FleetSnapshot;
import dev.drover.model.resource.AddonProfileSpec;
import dev.drover.model.resource.ApiException;
import dev.drover.model.resource.ClusterFlavorSpec;
import dev.drover.model.resource.ClusterSpec;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kinds;
import dev.drover.model.resource.PriceBookSpec;
import dev.drover.model.resource.TeamSpec;
import dev.drover.server.store.Change;
import dev.drover.server.store.ListPage;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.WatchStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of teams, flavors, add-on profiles, price books and clusters, kept current by watching the store (list, then watch from
 * the list's version; list again when the watch falls too far behind). Every change that needs a render is
 * handed to the sink as work.
 */
final class FleetMirror implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetMirror.class);
    private static final long POLL_MILLIS = 500;

    private final ResourceStore store;
    private final Consumer<List<WorkItem>> sink;
    private final Map<String, TeamSpec> teams = new ConcurrentHashMap<>();
    private final Map<String, ClusterFlavorSpec> flavors = new ConcurrentHashMap<>();
    private final Map<String, ProfileState> profiles = new ConcurrentHashMap<>();
    private final Map<ClusterId, ClusterState> clusters = new ConcurrentHashMap<>();
    private final Map<String, PriceBookSpec> priceBooks = new ConcurrentHashMap<>();
    /** Counts changes to anything a cost estimate depends on, so that unchanged costs are not recomputed. */
    private final java.util.concurrent.atomic.AtomicLong costVersion = new java.util.concurrent.atomic.AtomicLong();
    private final List<Thread> watchers = new java.util.ArrayList<>();
    private volatile boolean closed;

    FleetMirror(ResourceStore store, Consumer<List<WorkItem>> sink) {
        this.store = store;
        this.sink = sink;
    }

    /** Lists every kind and starts watching; everything listed is handed to the sink once. */
    void start() {
        for (String kind : List.of(Kinds.TEAM.kind(), Kinds.CLUSTER_FLAVOR.kind(), Kinds.ADDON_PROFILE.kind(),
                Kinds.PRICE_BOOK.kind(), Kinds.CLUSTER.kind())) {
            long revision = relist(kind);
            Thread watcher = Thread.ofPlatform().daemon().name("fleet-watch-" + kind).start(() -> watch(kind, revision));
            watchers.add(watcher);
        }
        sink.accept(List.of(new WorkItem.SharedFiles()));
    }

    /**
     * Teams, flavors, profiles and the named clusters (those not being deleted): all a batch renders from. Leaving
     * the other clusters out keeps a small batch from copying the whole fleet.
     */
    FleetSnapshot snapshot(FleetSettings settings, Collection<ClusterId> ids) {
        var requests = new TreeMap<ClusterId, ClusterRequest>();
        for (ClusterId id : ids) {
            ClusterState state = clusters.get(id);
            if (state != null && !state.deleting()) {
                requests.put(id, new ClusterRequest(id, state.spec(), state.labels()));
            }
        }
        return new FleetSnapshot(new TreeMap<>(teams), new TreeMap<>(flavors), profileSpecs(), requests, settings);
    }

    /** What the fleet's cost is computed from: teams, flavors, price books and the clusters not being deleted. */
    CostInputs costInputs() {
        var specs = new TreeMap<ClusterId, ClusterSpec>();
        clusters.values().stream().filter(state -> !state.deleting()).forEach(state -> specs.put(state.id(), state.spec()));
        return new CostInputs(new TreeMap<>(teams), new TreeMap<>(flavors), new TreeMap<>(priceBooks), specs);
    }

    long costVersion() {
        return costVersion.get();
    }

    Optional<ClusterState> cluster(ClusterId id) {
        return Optional.ofNullable(clusters.get(id));
    }

    Collection<ClusterState> clusters() {
        return List.copyOf(clusters.values());
    }

    SortedMap<String, ProfileState> profiles() {
        return new TreeMap<>(profiles);
    }

    private SortedMap<String, AddonProfileSpec> profileSpecs() {
        SortedMap<String, AddonProfileSpec> specs = new TreeMap<>();
        profiles.forEach((name, state) -> specs.put(name, state.spec()));
        return specs;
    }

    private long relist(String kind) {
        ListPage page = store.list(ListQuery.all(kind));
        if (kind.equals(Kinds.TEAM.kind())) {
            teams.clear();
        } else if (kind.equals(Kinds.CLUSTER_FLAVOR.kind())) {
            flavors.clear();
        } else if (kind.equals(Kinds.ADDON_PROFILE.kind())) {
            profiles.clear();
        } else if (kind.equals(Kinds.PRICE_BOOK.kind())) {
            priceBooks.clear();
            costVersion.incrementAndGet();
        }
        java.util.Set<ClusterId> listed = new java.util.HashSet<>();
        for (ListedObject item : page.items()) {
            ObjectNode object = Json.parseObject(item.json());
            apply(kind, object, false);
            if (kind.equals(Kinds.CLUSTER.kind())) {
                listed.add(new ClusterId(item.namespace(), item.name()));
            }
        }
        if (kind.equals(Kinds.CLUSTER.kind())) {
            for (ClusterId gone : List.copyOf(clusters.keySet())) {
                if (!listed.contains(gone)) {
                    clusters.remove(gone);
                    costVersion.incrementAndGet();
                    sink.accept(List.of(new WorkItem.ClusterFiles(gone)));
                }
            }
        }
        return page.revision();
    }

    private void watch(String kind, long fromRevision) {
        long revision = fromRevision;
        while (!closed) {
            try (WatchStream stream = store.watch(kind, revision)) {
                while (!closed) {
                    Optional<Change> change = stream.next(POLL_MILLIS);
                    if (change.isPresent()) {
                        ObjectNode object = Json.parseObject(change.get().object().json());
                        apply(kind, object, change.get().type() == Change.EventType.DELETED);
                    }
                    revision = stream.lastDelivered();
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return;
            } catch (ApiException | IllegalStateException behind) {
                LOG.info("watch of {} fell behind ({}); listing again", kind, behind.getMessage());
                revision = relistQuietly(kind, revision);
            } catch (RuntimeException failed) {
                LOG.warn("watch of {} failed: {}; retrying", kind, failed.toString());
                pause();
                revision = relistQuietly(kind, revision);
            }
        }
    }

    private long relistQuietly(String kind, long previous) {
        try {
            return relist(kind);
        } catch (RuntimeException failed) {
            LOG.warn("cannot list {}: {}", kind, failed.toString());
            pause();
            return previous;
        }
    }

    private void apply(String kind, ObjectNode object, boolean deleted) {
        String name = object.path("metadata").path("name").asText();
        if (kind.equals(Kinds.PRICE_BOOK.kind())) {
            PriceBookSpec book = Json.bind(object.path("spec"), PriceBookSpec.class);
            PriceBookSpec previous = deleted ? priceBooks.remove(name) : priceBooks.put(name, book);
            if (!book.equals(previous) || deleted) {
                costVersion.incrementAndGet();
                sink.accept(List.of(new WorkItem.Costs()));
            }
            return;
        }
        if (kind.equals(Kinds.TEAM.kind())) {
            TeamSpec team = Json.bind(object.path("spec"), TeamSpec.class);
            TeamSpec previous = deleted ? teams.remove(name) : teams.put(name, team);
            if (!team.equals(previous) || deleted) {
                costVersion.incrementAndGet();
                List<WorkItem> work = new java.util.ArrayList<>(clustersWhere(state -> state.id().team().equals(name)));
                work.add(new WorkItem.SharedFiles());
                sink.accept(work);
            }
            return;
        }
        if (kind.equals(Kinds.CLUSTER_FLAVOR.kind())) {
            ClusterFlavorSpec flavor = Json.bind(object.path("spec"), ClusterFlavorSpec.class);
            ClusterFlavorSpec previous = deleted ? flavors.remove(name) : flavors.put(name, flavor);
            if (!flavor.equals(previous) || deleted) {
                costVersion.incrementAndGet();
                sink.accept(clustersWhere(state -> state.spec().flavor().equals(name)));
            }
            return;
        }
        if (kind.equals(Kinds.ADDON_PROFILE.kind())) {
            var profile = new ProfileState(Json.bind(object.path("spec"), AddonProfileSpec.class),
                    object.path("metadata").path("generation").asLong(1));
            ProfileState previous = deleted ? profiles.remove(name) : profiles.put(name, profile);
            if (deleted || previous == null || !profile.spec().equals(previous.spec())) {
                // Clusters the profile selected before or selects now, in one batch so that one commit has them all.
                List<WorkItem> work = new java.util.ArrayList<>(clustersWhere(state -> profile.spec().selects(state.labels())
                        || (previous != null && previous.spec().selects(state.labels()))));
                work.add(new WorkItem.AddonProfiles());
                sink.accept(work);
            }
            return;
        }
        ClusterState state = ClusterState.of(object);
        if (deleted) {
            costVersion.incrementAndGet();
            clusters.remove(state.id());
            sink.accept(List.of(new WorkItem.ClusterFiles(state.id())));
            return;
        }
        ClusterState previous = clusters.put(state.id(), state);
        if (previous == null || !state.spec().equals(previous.spec()) || state.deleting() != previous.deleting()) {
            costVersion.incrementAndGet();
        }
        if (previous == null || state.differsFrom(previous)) {
            sink.accept(List.of(new WorkItem.ClusterFiles(state.id())));
        }
    }

    private List<WorkItem> clustersWhere(java.util.function.Predicate<ClusterState> affected) {
        return clusters.values().stream().filter(affected).<WorkItem>map(state -> new WorkItem.ClusterFiles(state.id())).toList();
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        watchers.forEach(Thread::interrupt);
    }
}
