package dev.drover.server.reconcile;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.render.ClusterOutcome;
import dev.drover.model.render.FleetPaths;
import dev.drover.model.render.FleetRenderer;
import dev.drover.model.render.FleetSnapshot;
import dev.drover.model.render.ManagementEntry;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.git.FleetRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The fleet reconciler's decisions, pure: from the snapshot of a batch and the branch head as the reconciler knows it,
 * which files to write or remove (and the commit message), and then, given what committing did, each Cluster's
 * status. No I/O: blob ids are hashes of the content.
 */
final class FleetPlanner {

    /**
     * What a batch changes.
     *
     * @param changes path to new content, or empty to remove the file
     * @param clusterFiles the new blob ids of each cluster the batch rendered or removed (empty: no files left)
     * @param sharedFiles the new shared files, when the batch recomputed them
     * @param renderFailures clusters that could not be rendered; their committed files stay
     * @param addons the add-ons in the new files of each cluster rendered or removed
     * @param applications the Applications in them
     * @param touched clusters whose files the changes touch
     */
    record Plan(SortedMap<String, Optional<String>> changes, Map<ClusterId, SortedMap<String, ObjectId>> clusterFiles,
                Optional<SortedMap<String, ObjectId>> sharedFiles, SortedMap<ClusterId, ClusterReport.Problem> renderFailures,
                Map<ClusterId, List<ClusterStatus.AddonStatus>> addons,
                Map<ClusterId, List<ClusterStatus.CommittedApplication>> applications, Set<ClusterId> touched, String message) {

        Plan {
            requireNonNull(changes, "changes is null");
            requireNonNull(sharedFiles, "sharedFiles is null");
            requireNonNull(message, "message is null");
        }
    }

    /**
     * What acting on the plan did.
     *
     * @param commit the new commit, when the plan changed files and committing worked
     * @param gitFailure why the files are not (all) in the repository or not pushed
     * @param head the branch head after acting
     */
    record Acted(Optional<String> commit, Optional<ClusterReport.Problem> gitFailure, String head) {
    }

    private FleetPlanner() {
    }

    /**
     * @param clusters the clusters of the batch, rendered from {@code states} (absent or deleting ones lose their files)
     * @param sharedRequested whether the batch asks for the shared files (team directories, indexes) to be recomputed
     */
    static Plan plan(FleetSnapshot snapshot, Collection<ClusterId> clusters, boolean sharedRequested,
                     Map<ClusterId, ClusterState> states, FleetTree tree) {
        SortedMap<String, Optional<String>> changes = new TreeMap<>();
        Map<ClusterId, SortedMap<String, ObjectId>> newClusterFiles = new HashMap<>();
        SortedMap<ClusterId, ClusterReport.Problem> renderFailures = new TreeMap<>();
        Map<ClusterId, String> why = new TreeMap<>();
        Map<ClusterId, List<ClusterStatus.AddonStatus>> newAddons = new HashMap<>();
        Map<ClusterId, List<ClusterStatus.CommittedApplication>> newApplications = new HashMap<>();
        Map<ClusterId, ManagementEntry> newEntries = new HashMap<>();
        for (ClusterId id : clusters) {
            SortedMap<String, ObjectId> existing = tree.filesOf(id);
            ClusterState state = states.get(id);
            if (state == null || state.deleting()) {
                existing.keySet().forEach(path -> changes.put(path, Optional.empty()));
                newClusterFiles.put(id, new TreeMap<>());
                newAddons.put(id, List.of());
                newApplications.put(id, List.of());
                why.put(id, "removed (Cluster deleted)");
                continue;
            }
            switch (FleetRenderer.renderCluster(snapshot, id)) {
                case ClusterOutcome.Rendered rendered -> {
                    SortedMap<String, ObjectId> blobs = new TreeMap<>();
                    // An Application that could not be rendered keeps its committed files.
                    existing.forEach((path, blob) -> {
                        if (rendered.keeps(path)) {
                            blobs.put(path, blob);
                        } else if (!rendered.files().containsKey(path)) {
                            changes.put(path, Optional.empty());
                        }
                    });
                    rendered.files().forEach((path, content) -> {
                        ObjectId blob = FleetRepository.blobId(content);
                        blobs.put(path, blob);
                        if (!blob.equals(existing.get(path))) {
                            changes.put(path, Optional.of(content));
                        }
                    });
                    newClusterFiles.put(id, blobs);
                    newAddons.put(id, rendered.addons());
                    newApplications.put(id, rendered.applications());
                    newEntries.put(id, rendered.entry());
                    why.put(id, "generation " + state.generation() + state.hibernationCause()
                            .map(cause -> (state.hibernated() ? ", hibernated (" : ", awake (") + cause + ")").orElse("")
                            + state.campaign().map(campaign -> ", campaign " + campaign).orElse("")
                            + applicationChanges(tree.applications(id), rendered.applications()));
                }
                case ClusterOutcome.Failed failed -> renderFailures.put(id, new ClusterReport.Problem(failed.reason(), failed.message()));
            }
        }
        boolean membershipChanged = sharedRequested || newClusterFiles.entrySet().stream()
                .anyMatch(entry -> entry.getValue().isEmpty() == tree.hasFiles(entry.getKey()))
                || newEntries.entrySet().stream().anyMatch(entry -> !tree.entry(entry.getKey()).equals(Optional.of(entry.getValue())));
        Optional<SortedMap<String, ObjectId>> newShared = Optional.empty();
        if (membershipChanged) {
            // Team directories and indexes depend on every cluster: only recomputed when clusters come or go.
            // A cluster moved to a flavor of another provider moves to that provider's entry.
            var withFiles = new TreeMap<ClusterId, ManagementEntry>();
            tree.clustersWithFiles().forEach(id -> tree.entry(id).ifPresent(entry -> withFiles.put(id, entry)));
            newClusterFiles.forEach((id, files) -> {
                if (files.isEmpty()) {
                    withFiles.remove(id);
                }
            });
            withFiles.putAll(newEntries);
            SortedMap<String, String> shared = FleetRenderer.renderShared(snapshot, withFiles);
            tree.sharedFiles().keySet().stream().filter(path -> !shared.containsKey(path))
                    .forEach(path -> changes.put(path, Optional.empty()));
            SortedMap<String, ObjectId> blobs = new TreeMap<>();
            shared.forEach((path, content) -> {
                ObjectId blob = FleetRepository.blobId(content);
                blobs.put(path, blob);
                if (!blob.equals(tree.sharedFiles().get(path))) {
                    changes.put(path, Optional.of(content));
                }
            });
            newShared = Optional.of(blobs);
        }
        Set<ClusterId> touched = new TreeSet<>();
        changes.keySet().forEach(path -> FleetPaths.clusterOf(path).ifPresent(touched::add));
        return new Plan(changes, newClusterFiles, newShared, renderFailures, newAddons, newApplications, touched,
                message(changes, why));
    }

    /**
     * Each batch cluster's status after acting; {@code tree} is the head after acting (updated only if the commit
     * worked).
     */
    static List<StatusWriter.Update> statuses(Plan plan, Acted acted, Collection<ClusterId> clusters,
                                              Map<ClusterId, ClusterState> states, FleetTree tree, String branch) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        for (ClusterId id : clusters) {
            ClusterState state = states.get(id);
            if (state == null) {
                continue;
            }
            if (state.deleting()) {
                if (!tree.hasFiles(id) && acted.gitFailure().isEmpty()) {
                    updates.add(ClusterStatuses.removed(id));
                }
                continue;
            }
            Optional<String> holding = tree.hasFiles(id)
                    ? tree.lastCommit(id).or(state::committedAt).or(() -> Optional.of(acted.head()))
                    : Optional.empty();
            updates.add(ClusterStatuses.decide(id, new ClusterReport(state.generation(),
                    Optional.ofNullable(plan.renderFailures().get(id)), holding, acted.gitFailure(), tree.addons(id),
                    tree.applications(id)),
                    tree.entry(id), branch));
        }
        return updates;
    }

    /**
     * The Applications whose rendering changed against what the cluster's files held, for the commit message:
     * {@code , application checkout generation 4 (image …), application ledger-worker removed}.
     */
    private static String applicationChanges(List<ClusterStatus.CommittedApplication> before,
                                             List<ClusterStatus.CommittedApplication> after) {
        Map<String, ClusterStatus.CommittedApplication> held = new HashMap<>();
        before.forEach(application -> held.put(application.name(), application));
        var text = new StringBuilder();
        for (ClusterStatus.CommittedApplication application : after) {
            ClusterStatus.CommittedApplication was = held.remove(application.name());
            if (application.equals(was)) {
                continue;
            }
            text.append(", application ").append(application.name()).append(" generation ").append(application.generation());
            List<String> what = new ArrayList<>();
            if (was == null || !was.image().equals(application.image())) {
                what.add("image " + application.image());
            }
            if (was == null || was.templateRevision() != application.templateRevision()) {
                what.add("template revision " + application.templateRevision());
            }
            application.canaryWeight().filter(weight -> was == null || !was.canaryWeight().equals(application.canaryWeight()))
                    .ifPresent(weight -> what.add("canary " + weight + "%"));
            application.renderFailure().ifPresent(failure -> what.add("not rendered, files kept"));
            if (!what.isEmpty()) {
                text.append(" (").append(String.join(", ", what)).append(')');
            }
        }
        held.keySet().stream().sorted().forEach(name -> text.append(", application ").append(name).append(" removed"));
        return text.toString();
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
}
