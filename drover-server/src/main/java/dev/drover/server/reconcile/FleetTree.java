package dev.drover.server.reconcile;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.render.FleetPaths;
import dev.drover.model.render.ManagementEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What the fleet reconciler knows of the branch head, kept in memory so that a batch diffs without reading Git: the
 * blob ids of each cluster's files and of the shared ones, the commit that last wrote each cluster's files and the
 * add-ons and Applications in them. Changed only by {@link #committed}, after the commit is in the repository.
 */
final class FleetTree {

    private final Map<ClusterId, SortedMap<String, ObjectId>> clusterFiles = new HashMap<>();
    private final SortedMap<String, ObjectId> sharedFiles = new TreeMap<>();
    private final Map<ClusterId, String> lastCommit = new HashMap<>();
    private final Map<ClusterId, List<ClusterStatus.AddonStatus>> committedAddons = new HashMap<>();
    private final Map<ClusterId, List<ClusterStatus.CommittedApplication>> committedApplications = new HashMap<>();

    /** The tree of a repository's head, by path. */
    static FleetTree of(Map<String, ObjectId> files) {
        var tree = new FleetTree();
        files.forEach((path, blob) -> FleetPaths.clusterOf(path).ifPresentOrElse(
                id -> tree.clusterFiles.computeIfAbsent(id, ignored -> new TreeMap<>()).put(path, blob),
                () -> tree.sharedFiles.put(path, blob)));
        return tree;
    }

    SortedMap<String, ObjectId> filesOf(ClusterId id) {
        return clusterFiles.getOrDefault(id, new TreeMap<>());
    }

    boolean hasFiles(ClusterId id) {
        return clusterFiles.containsKey(id);
    }

    Iterable<ClusterId> clustersWithFiles() {
        return List.copyOf(clusterFiles.keySet());
    }

    /** The management entry whose directory holds the cluster's files, if it has any. */
    Optional<ManagementEntry> entry(ClusterId id) {
        return FleetPaths.entryOf(filesOf(id).keySet());
    }

    SortedMap<String, ObjectId> sharedFiles() {
        return sharedFiles;
    }

    Optional<String> lastCommit(ClusterId id) {
        return Optional.ofNullable(lastCommit.get(id));
    }

    List<ClusterStatus.AddonStatus> addons(ClusterId id) {
        return committedAddons.getOrDefault(id, List.of());
    }

    List<ClusterStatus.CommittedApplication> applications(ClusterId id) {
        return committedApplications.getOrDefault(id, List.of());
    }

    /** Takes the plan's files as the new head; {@code commit} names the commit when the plan changed any file. */
    void committed(FleetPlanner.Plan plan, Optional<String> commit) {
        plan.clusterFiles().forEach((id, files) -> {
            if (files.isEmpty()) {
                clusterFiles.remove(id);
            } else {
                clusterFiles.put(id, files);
            }
        });
        plan.sharedFiles().ifPresent(files -> {
            sharedFiles.clear();
            sharedFiles.putAll(files);
        });
        plan.addons().forEach((id, addons) -> {
            if (addons.isEmpty()) {
                committedAddons.remove(id);
            } else {
                committedAddons.put(id, addons);
            }
        });
        plan.applications().forEach((id, applications) -> {
            if (applications.isEmpty()) {
                committedApplications.remove(id);
            } else {
                committedApplications.put(id, applications);
            }
        });
        commit.ifPresent(id -> plan.touched().forEach(cluster -> lastCommit.put(cluster, id)));
    }
}
