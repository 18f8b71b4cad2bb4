package dev.drover.server.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.render.ClusterId;
import dev.drover.model.render.ClusterOutcome;
import dev.drover.model.render.FleetPaths;
import dev.drover.model.render.FleetRenderer;
import dev.drover.model.render.FleetSettings;
import dev.drover.model.render.FleetSnapshot;
import dev.drover.model.resource.ClusterStatus;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kinds;
import dev.drover.server.cost.CostLedger;
import dev.drover.server.git.FleetRemote;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import org.eclipse.jgit.lib.ObjectId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the fleet repository equal to the rendering of the store, one commit per batch of work: observe (the
 * mirror), decide (the pure renderer and {@link ClusterStatuses}), act (commit and push, then write each
 * Cluster's status and release the finalizer of deleted ones). Level-triggered: a batch renders the clusters'
 * current state whatever woke it. Failures become conditions and retries with backoff; the worker never dies.
 */
public final class FleetReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetReconciler.class);
    private static final int BATCH_LIMIT = 5_000;

    private final ResourceStore store;
    private final FleetRepository repository;
    private final FleetSettings settings;
    private final Optional<FleetRemote> remote;
    private final Clock clock;
    private final WorkQueue<WorkItem> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));
    private final FleetMirror mirror;
    /** The blob ids of the branch head's files, split into each cluster's files and the shared ones. */
    private final Map<ClusterId, SortedMap<String, ObjectId>> clusterFiles = new HashMap<>();
    private final SortedMap<String, ObjectId> sharedFiles = new TreeMap<>();
    private final Map<ClusterId, String> lastCommit = new HashMap<>();
    /** The add-ons in each cluster's committed files. */
    private final Map<ClusterId, List<ClusterStatus.AddonStatus>> committedAddons = new HashMap<>();
    private final ProfileStatuses profileStatuses;
    private final CostWriter costWriter;
    private Thread worker;
    private volatile boolean closed;

    public FleetReconciler(ResourceStore store, FleetRepository repository, FleetSettings settings,
                           Optional<FleetRemote> remote, Clock clock, CostLedger ledger) {
        this.store = store;
        this.repository = repository;
        this.settings = settings;
        this.remote = remote;
        this.clock = clock;
        this.mirror = new FleetMirror(store, queue::addAll);
        this.profileStatuses = new ProfileStatuses(store, clock);
        this.costWriter = new CostWriter(store, clock, ledger);
    }

    public FleetReconciler start() {
        repository.files().forEach((path, blob) -> FleetPaths.clusterOf(path).ifPresentOrElse(
                id -> clusterFiles.computeIfAbsent(id, ignored -> new TreeMap<>()).put(path, blob),
                () -> sharedFiles.put(path, blob)));
        clusterFiles.keySet().forEach(id -> queue.add(new WorkItem.ClusterFiles(id)));
        mirror.start();
        worker = Thread.ofPlatform().name("fleet-reconciler").start(this::work);
        return this;
    }

    private void work() {
        while (!closed) {
            List<WorkItem> batch;
            try {
                batch = queue.take(BATCH_LIMIT, Duration.ofSeconds(1));
            } catch (InterruptedException stopped) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                reconcile(batch);
            } catch (RuntimeException failed) {
                LOG.error("fleet reconcile of {} items failed; retrying with backoff", batch.size(), failed);
                batch.forEach(queue::addWithBackoff);
            } finally {
                queue.done(batch);
            }
        }
    }

    private void reconcile(List<WorkItem> batch) {
        long started = System.nanoTime();
        FleetSnapshot snapshot = mirror.snapshot(settings, batch.stream()
                .flatMap(item -> item instanceof WorkItem.ClusterFiles(ClusterId id) ? java.util.stream.Stream.of(id)
                        : java.util.stream.Stream.empty()).toList());
        Map<String, Optional<String>> changes = new TreeMap<>();
        Map<ClusterId, SortedMap<String, ObjectId>> newClusterFiles = new HashMap<>();
        Map<ClusterId, ClusterReport.Problem> renderFailures = new TreeMap<>();
        Map<ClusterId, String> why = new TreeMap<>();
        Map<ClusterId, List<ClusterStatus.AddonStatus>> newAddons = new HashMap<>();
        for (WorkItem item : batch) {
            if (!(item instanceof WorkItem.ClusterFiles(ClusterId id))) {
                continue;
            }
            SortedMap<String, ObjectId> existing = clusterFiles.getOrDefault(id, new TreeMap<>());
            Optional<ClusterState> state = mirror.cluster(id);
            if (state.isEmpty() || state.get().deleting()) {
                existing.keySet().forEach(path -> changes.put(path, Optional.empty()));
                newClusterFiles.put(id, new TreeMap<>());
                newAddons.put(id, List.of());
                why.put(id, "removed (Cluster deleted)");
                continue;
            }
            switch (FleetRenderer.renderCluster(snapshot, id)) {
                case ClusterOutcome.Rendered rendered -> {
                    existing.keySet().stream().filter(path -> !rendered.files().containsKey(path))
                            .forEach(path -> changes.put(path, Optional.empty()));
                    SortedMap<String, ObjectId> blobs = new TreeMap<>();
                    rendered.files().forEach((path, content) -> {
                        ObjectId blob = FleetRepository.blobId(content);
                        blobs.put(path, blob);
                        if (!blob.equals(existing.get(path))) {
                            changes.put(path, Optional.of(content));
                        }
                    });
                    newClusterFiles.put(id, blobs);
                    newAddons.put(id, rendered.addons());
                    why.put(id, "generation " + state.get().generation());
                }
                case ClusterOutcome.Failed failed -> renderFailures.put(id, new ClusterReport.Problem(failed.reason(), failed.message()));
            }
        }
        boolean membershipChanged = batch.stream().anyMatch(WorkItem.SharedFiles.class::isInstance)
                || newClusterFiles.entrySet().stream().anyMatch(entry ->
                        entry.getValue().isEmpty() == clusterFiles.containsKey(entry.getKey()));
        SortedMap<String, ObjectId> newSharedBlobs = new TreeMap<>(sharedFiles);
        if (membershipChanged) {
            // Team directories and indexes depend on every cluster: only recomputed when clusters come or go.
            var withFiles = new TreeSet<ClusterId>(clusterFiles.keySet());
            newClusterFiles.forEach((id, files) -> {
                if (files.isEmpty()) {
                    withFiles.remove(id);
                } else {
                    withFiles.add(id);
                }
            });
            SortedMap<String, String> newShared = FleetRenderer.renderShared(snapshot, withFiles);
            sharedFiles.keySet().stream().filter(path -> !newShared.containsKey(path))
                    .forEach(path -> changes.put(path, Optional.empty()));
            newSharedBlobs.clear();
            newShared.forEach((path, content) -> {
                ObjectId blob = FleetRepository.blobId(content);
                newSharedBlobs.put(path, blob);
                if (!blob.equals(sharedFiles.get(path))) {
                    changes.put(path, Optional.of(content));
                }
            });
        }

        Optional<ClusterReport.Problem> gitFailure = Optional.empty();
        Optional<String> commit = Optional.empty();
        long rendered = System.nanoTime();
        if (!changes.isEmpty()) {
            try {
                commit = repository.commit(changes, message(changes, why), Instant.now(clock)).map(id -> id.name());
                LOG.info("fleet batch: {} items, {} files changed, commit {}: rendered in {} ms, committed in {} ms",
                        batch.size(), changes.size(), commit.orElse("none"), (rendered - started) / 1_000_000,
                        (System.nanoTime() - rendered) / 1_000_000);
                newClusterFiles.forEach((id, files) -> {
                    if (files.isEmpty()) {
                        clusterFiles.remove(id);
                    } else {
                        clusterFiles.put(id, files);
                    }
                });
                sharedFiles.clear();
                sharedFiles.putAll(newSharedBlobs);
            } catch (RuntimeException failed) {
                LOG.warn("commit to the fleet repository failed: {}", failed.toString());
                gitFailure = Optional.of(new ClusterReport.Problem("GitError", "committing to the fleet repository failed: "
                        + failed.getMessage() + "; nothing was written, retrying"));
            }
        }
        if (gitFailure.isEmpty()) {
            newAddons.forEach((id, addons) -> {
                if (addons.isEmpty()) {
                    committedAddons.remove(id);
                } else {
                    committedAddons.put(id, addons);
                }
            });
        }
        if (gitFailure.isEmpty() && remote.isPresent()) {
            gitFailure = remote.get().pushIfBehind(repository).map(problem -> new ClusterReport.Problem("PushFailed",
                    "the commit is in Drover's fleet repository but pushing it to " + remote.get().url() + " failed: "
                            + problem + "; retrying with backoff"));
        }
        java.util.Set<ClusterId> touched = new java.util.HashSet<>();
        changes.keySet().forEach(path -> FleetPaths.clusterOf(path).ifPresent(touched::add));
        String head = commit.orElseGet(() -> repository.head().map(id -> id.name()).orElse(""));
        Map<ClusterId, ClusterReport> reports = new TreeMap<>();
        for (WorkItem item : batch) {
            if (!(item instanceof WorkItem.ClusterFiles(ClusterId id))) {
                continue;
            }
            Optional<ClusterState> state = mirror.cluster(id);
            if (state.isEmpty()) {
                continue;
            }
            if (commit.isPresent() && touched.contains(id)) {
                lastCommit.put(id, commit.get());
            }
            Optional<String> holding = clusterFiles.containsKey(id)
                    ? Optional.ofNullable(lastCommit.get(id)).or(() -> state.get().committedAt()).or(() -> Optional.of(head))
                    : Optional.empty();
            reports.put(id, new ClusterReport(state.get().generation(), Optional.ofNullable(renderFailures.get(id)), holding,
                    gitFailure, state.get().deleting() && !clusterFiles.containsKey(id),
                    committedAddons.getOrDefault(id, List.of())));
        }
        writeStatuses(reports);
        profileStatuses.write(mirror.profiles(), mirror.clusters(), committedAddons);
        costWriter.write(mirror);
        if (gitFailure.isPresent()) {
            batch.forEach(queue::addWithBackoff);
            return;
        }
        renderFailures.keySet().forEach(id -> queue.addWithBackoff(new WorkItem.ClusterFiles(id)));
        batch.stream().filter(item -> !(item instanceof WorkItem.ClusterFiles(ClusterId id) && renderFailures.containsKey(id)))
                .forEach(queue::forget);
    }

    /** Writes every status of the batch (and releases finalizers) in one store transaction. */
    private void writeStatuses(Map<ClusterId, ClusterReport> reports) {
        if (reports.isEmpty()) {
            return;
        }
        List<ObjectKey> keys = reports.keySet().stream().map(id -> new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name())).toList();
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        store.write(new ReadHints(keys, List.of()), transaction -> {
            for (ObjectKey key : keys) {
                Optional<StoredObject> stored = transaction.get(key);
                if (stored.isEmpty()) {
                    continue;
                }
                ClusterReport report = reports.get(new ClusterId(key.namespace(), key.name()));
                ObjectNode object = Json.parseObject(stored.get().json());
                ObjectNode metadata = object.withObjectProperty("metadata");
                var storedFinalizers = metadata.path("finalizers").deepCopy();
                boolean deleting = metadata.has("deletionTimestamp");
                if (deleting && report.removed() && report.gitFailure().isEmpty()) {
                    ArrayNode remaining = Json.MAPPER.createArrayNode();
                    metadata.path("finalizers").forEach(finalizer -> {
                        if (!finalizer.asText().equals(Kinds.FLEET_FINALIZER)) {
                            remaining.add(finalizer);
                        }
                    });
                    if (remaining.isEmpty()) {
                        metadata.remove("finalizers");
                        transaction.delete(stored.get(), object);
                        continue;
                    }
                    metadata.set("finalizers", remaining);
                }
                if (!deleting && !hasFleetFinalizer(metadata)) {
                    metadata.withArrayProperty("finalizers").add(Kinds.FLEET_FINALIZER);
                }
                ObjectNode status = deleting ? ClusterStatuses.deleting(object.path("status"))
                        : ClusterStatuses.decide(new ClusterId(key.namespace(), key.name()), report, repository.branch(),
                        object.path("status"), now);
                boolean finalizersChanged = !storedFinalizers.equals(metadata.path("finalizers"));
                if (!finalizersChanged && ClusterStatuses.same(status, object.path("status"))) {
                    continue;
                }
                object.set("status", status);
                transaction.put(key.kind(), key.namespace(), key.name(), stored.get().labels(), stored.get().attributes(), object);
            }
            return null;
        });
    }

    private static boolean hasFleetFinalizer(ObjectNode metadata) {
        for (var finalizer : metadata.path("finalizers")) {
            if (finalizer.asText().equals(Kinds.FLEET_FINALIZER)) {
                return true;
            }
        }
        return false;
    }

    /** Names what changed: each cluster with the generation or deletion it follows, and the shared files. */
    private static String message(Map<String, Optional<String>> changes, Map<ClusterId, String> why) {
        Map<ClusterId, Integer> filesPerCluster = new TreeMap<>();
        List<String> shared = new ArrayList<>();
        changes.keySet().forEach(path -> FleetPaths.clusterOf(path).ifPresentOrElse(
                id -> filesPerCluster.merge(id, 1, Integer::sum), () -> shared.add(path)));
        var text = new StringBuilder();
        if (filesPerCluster.isEmpty()) {
            text.append("Update shared files\n");
        } else {
            List<String> names = filesPerCluster.keySet().stream().map(ClusterId::toString).toList();
            text.append("Update ").append(names.size() == 1 ? "cluster " + names.getFirst()
                    : names.size() + " clusters: " + String.join(", ", names.size() > 5 ? names.subList(0, 5) : names)
                    + (names.size() > 5 ? ", ..." : "")).append('\n');
        }
        text.append('\n');
        filesPerCluster.forEach((id, count) -> text.append(id).append(": ").append(why.getOrDefault(id, "re-rendered")).append(", ")
                .append(count).append(count == 1 ? " file\n" : " files\n"));
        if (!shared.isEmpty()) {
            text.append("shared: ").append(String.join(", ", shared.size() > 10 ? shared.subList(0, 10) : shared))
                    .append(shared.size() > 10 ? ", ..." : "").append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        closed = true;
        queue.shutDown();
        mirror.close();
        if (worker != null) {
            try {
                worker.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
