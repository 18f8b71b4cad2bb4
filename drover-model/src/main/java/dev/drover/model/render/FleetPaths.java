package dev.drover.model.render;

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

    /** Whether a repository path belongs to the given cluster (one of its two directories). */
    public static boolean belongsTo(String path, ClusterId cluster) {
        return path.startsWith(managementClusterDirectory(cluster) + "/") || path.startsWith(workloadClusterDirectory(cluster) + "/");
    }
}
