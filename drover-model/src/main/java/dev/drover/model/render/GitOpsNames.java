package dev.drover.model.render;

import dev.drover.model.api.ClusterId;

/**
 * The names of the GitOps objects that apply an Application and of the namespace it runs in, for the renderers and for
 * whoever observes them.
 */
public final class GitOpsNames {

    private GitOpsNames() {
    }

    /** The Flux Kustomization in the team's namespace: {@code <cluster>-app-<application>}. */
    public static String fluxApplication(ClusterId cluster, String application) {
        return cluster.name() + "-app-" + application;
    }

    /** The namespace of the team's Applications in a workload cluster: the flavor's first tenancy namespace, or the team's. */
    public static String applicationNamespace(dev.drover.model.api.ClusterFlavorSpec flavor, String team) {
        return flavor.tenancy().map(tenancy -> tenancy.namespaces().stream().sorted().toList())
                .filter(namespaces -> !namespaces.isEmpty()).map(java.util.List::getFirst).orElse(team);
    }

    /** The Argo CD Application: {@code <team>.<cluster>.app.<application>}. */
    public static String argoCdApplication(ClusterId cluster, String application) {
        return cluster.team() + "." + cluster.name() + ".app." + application;
    }
}
