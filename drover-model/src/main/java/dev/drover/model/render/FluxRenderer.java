package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Hub and spoke: on the management cluster, per workload cluster, a Flux {@code GitRepository} for the fleet
 * repository and a Flux {@code Kustomization} that applies the cluster's directory into the workload cluster
 * through the kubeconfig Secret Cluster API writes ({@code <cluster>-kubeconfig}, key {@code value}).
 */
final class FluxRenderer {

    private static final String SOURCE_API_VERSION = "source.toolkit.fluxcd.io/v1";
    private static final String KUSTOMIZE_API_VERSION = "kustomize.toolkit.fluxcd.io/v1";

    private FluxRenderer() {
    }

    static List<ObjectNode> render(ClusterContext context) {
        return List.of(source(context), kustomization(context));
    }

    static String sourceName(ClusterContext context) {
        return context.name() + "-fleet";
    }

    /** The source carries only this cluster's directory, so other clusters' changes never reach it. */
    private static ObjectNode source(ClusterContext context) {
        ObjectNode source = Manifest.namespaced(SOURCE_API_VERSION, "GitRepository", context.namespace(), sourceName(context),
                context.labels());
        ObjectNode spec = source.putObject("spec");
        spec.put("interval", "1m");
        spec.put("url", context.settings().repositoryUrl());
        spec.putObject("ref").put("branch", context.settings().branch());
        context.settings().credentialsSecret().ifPresent(secret -> spec.putObject("secretRef").put("name", secret));
        spec.put("ignore", "/*\n!/" + FleetPaths.workloadClusterDirectory(context.id()) + "/\n");
        return source;
    }

    private static ObjectNode kustomization(ClusterContext context) {
        ObjectNode kustomization = Manifest.namespaced(KUSTOMIZE_API_VERSION, "Kustomization", context.namespace(),
                context.name() + "-workload", context.labels());
        ObjectNode spec = kustomization.putObject("spec");
        spec.put("interval", "10m");
        spec.put("retryInterval", "1m");
        spec.put("timeout", "5m");
        spec.put("path", "./" + FleetPaths.workloadClusterDirectory(context.id()));
        spec.put("prune", true);
        spec.putObject("sourceRef").put("kind", "GitRepository").put("name", sourceName(context));
        spec.putObject("kubeConfig").putObject("secretRef").put("name", context.name() + "-kubeconfig").put("key", "value");
        return kustomization;
    }
}
