package dev.drover.model.render;

import dev.drover.model.api.ClusterId;
import java.util.Optional;

/** Every path of the fleet repository, in one place so files and the references to them cannot drift. */
public final class FleetPaths {

    public static final String KUSTOMIZATION = "kustomization.yaml";
    public static final String MANAGEMENT = "management";

    private FleetPaths() {
    }

    public static String teamsDirectory() {
        return MANAGEMENT + "/teams";
    }

    public static String teamDirectory(String team) {
        return teamsDirectory() + "/" + team;
    }

    /** What a management cluster running the entry's provider applies, besides {@link #teamsDirectory()}. */
    public static String entryDirectory(ManagementEntry entry) {
        return MANAGEMENT + "/" + entry.directoryName();
    }

    public static String entryClustersDirectory(ManagementEntry entry) {
        return entryDirectory(entry) + "/clusters";
    }

    public static String entryTeamClustersDirectory(ManagementEntry entry, String team) {
        return entryClustersDirectory(entry) + "/" + team;
    }

    /** The cluster's Cluster API objects and its GitOps wiring, applied to the management cluster. */
    public static String managementClusterDirectory(ClusterId cluster, ManagementEntry entry) {
        return entryTeamClustersDirectory(entry, cluster.team()) + "/" + cluster.name();
    }

    /** What is applied inside the workload cluster. */
    public static String workloadClusterDirectory(ClusterId cluster) {
        return "clusters/" + cluster.team() + "/" + cluster.name();
    }

    /**
     * The cluster's add-ons. Applied on the management cluster, not inside the workload cluster: the objects in it
     * (HelmReleases, Argo CD Applications) install into the workload cluster from there.
     */
    public static String addonsDirectory(ClusterId cluster) {
        return workloadClusterDirectory(cluster) + "/addons";
    }

    /** One Application's files in the cluster, applied into the workload cluster by a GitOps object of their own. */
    public static String applicationDirectory(ClusterId cluster, String application) {
        return workloadClusterDirectory(cluster) + "/apps/" + application;
    }

    /** The cluster a repository path belongs to (in one of its two directories), if any. */
    public static Optional<ClusterId> clusterOf(String path) {
        String[] segments = path.split("/");
        if (managementClusterPath(segments)) {
            return Optional.of(new ClusterId(segments[3], segments[4]));
        }
        if (segments.length >= 4 && segments[0].equals("clusters")) {
            return Optional.of(new ClusterId(segments[1], segments[2]));
        }
        return Optional.empty();
    }

    /** The entry whose directory holds a cluster's management file, if the path is one. */
    public static Optional<ManagementEntry> entryOf(String path) {
        String[] segments = path.split("/");
        return managementClusterPath(segments) ? ManagementEntry.named(segments[1]) : Optional.empty();
    }

    /** The entry holding a cluster's files, from their paths. */
    public static Optional<ManagementEntry> entryOf(java.util.Collection<String> paths) {
        return paths.stream().map(FleetPaths::entryOf).flatMap(Optional::stream).findFirst();
    }

    private static boolean managementClusterPath(String[] segments) {
        return segments.length >= 6 && segments[0].equals(MANAGEMENT) && segments[2].equals("clusters")
                && ManagementEntry.named(segments[1]).isPresent();
    }
}
