package dev.drover.model.render;

import dev.drover.model.api.ClusterId;

/** The names of the GitOps objects that apply an Application, for the renderers and for whoever observes them. */
public final class GitOpsNames {

    private GitOpsNames() {
    }

    /** The Flux Kustomization in the team's namespace: {@code <cluster>-app-<application>}. */
    public static String fluxApplication(ClusterId cluster, String application) {
        return cluster.name() + "-app-" + application;
    }

    /** The Argo CD Application: {@code <team>.<cluster>.app.<application>}. */
    public static String argoCdApplication(ClusterId cluster, String application) {
        return cluster.team() + "." + cluster.name() + ".app." + application;
    }
}
