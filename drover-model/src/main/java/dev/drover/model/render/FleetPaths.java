package dev.drover.model.render;

import dev.drover.model.api.ClusterId;

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

    public static String managementClustersDirectory() {
        return MANAGEMENT + "/clusters";
    }

    public static String managementTeamClustersDirectory(String team) {
        return managementClustersDirectory() + "/" + team;
    }

    /** The cluster's Cluster API objects and its GitOps wiring, applied to the management cluster. */
    public static String managementClusterDirectory(ClusterId cluster) {
        return managementTeamClustersDirectory(cluster.team()) + "/" + cluster.name();
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

    /** The cluster a repository path belongs to (in one of its two directories), if any. */
    public static java.util.Optional<ClusterId> clusterOf(String path) {
        String[] segments = path.split("/");
        if (segments.length >= 5 && segments[0].equals(MANAGEMENT) && segments[1].equals("clusters")) {
            return java.util.Optional.of(new ClusterId(segments[2], segments[3]));
        }
        if (segments.length >= 4 && segments[0].equals("clusters")) {
            return java.util.Optional.of(new ClusterId(segments[1], segments[2]));
        }
        return java.util.Optional.empty();
    }
}
