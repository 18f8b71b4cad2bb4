package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.List;
import java.util.Map;

/**
 * Argo CD on the management cluster, for flavors with {@code gitops: argocd}. The workload cluster is an Argo CD
 * cluster named {@code <team>.<cluster>}: unique, because team and cluster names are DNS labels without dots. Its
 * registration Secret needs the live kubeconfig and is not rendered; docs/fleet-repository.md lists its labels.
 * Per cluster: an Application for the workload directory, and one (app of apps) for the add-ons directory, which
 * holds an Application per add-on. Add-on Applications cascade, so that removing one from Git uninstalls it.
 */
final class ArgoCdRenderer {

    private static final String API_VERSION = "argoproj.io/v1alpha1";
    /** Deletes an Application's resources in the workload cluster when the Application goes. */
    private static final String RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";
    private static final String IN_CLUSTER = "https://kubernetes.default.svc";

    private ArgoCdRenderer() {
    }

    static String clusterName(ClusterContext context) {
        return context.namespace() + "." + context.name();
    }

    /**
     * @param withAddons whether the cluster has add-ons, whose Applications an Application of their own applies
     * @param applications the Drover Applications in the cluster, each synced by an Argo CD Application of its own
     */
    static List<ObjectNode> render(ClusterContext context, boolean withAddons, List<String> applications) {
        ObjectNode workload = application(context, clusterName(context) + ".workload", context.labels());
        // Not cascading: when the cluster goes, its tenancy objects go with it.
        workload.withObjectProperty("metadata").remove("finalizers");
        ObjectNode spec = workload.withObjectProperty("spec");
        spec.set("source", fleetSource(context, FleetPaths.workloadClusterDirectory(context.id())));
        spec.putObject("destination").put("name", clusterName(context));
        spec.set("syncPolicy", syncPolicy(3));
        List<ObjectNode> objects = new java.util.ArrayList<>(List.of(workload));
        if (withAddons) {
            ObjectNode addons = application(context, clusterName(context) + ".addons", context.labels());
            ObjectNode addonsSpec = addons.withObjectProperty("spec");
            addonsSpec.set("source", fleetSource(context, FleetPaths.addonsDirectory(context.id())));
            addonsSpec.putObject("destination").put("server", IN_CLUSTER).put("namespace", context.settings().argoCdNamespace());
            addonsSpec.set("syncPolicy", syncPolicy(3));
            objects.add(addons);
        }
        for (String name : applications) {
            Map<String, String> labels = new java.util.LinkedHashMap<>(context.labels());
            labels.put(ApplicationRenderer.APPLICATION_LABEL, name);
            ObjectNode application = application(context, GitOpsNames.argoCdApplication(context.id(), name), labels);
            ObjectNode applicationSpec = application.withObjectProperty("spec");
            applicationSpec.set("source", fleetSource(context, FleetPaths.applicationDirectory(context.id(), name)));
            applicationSpec.putObject("destination").put("name", clusterName(context));
            applicationSpec.set("syncPolicy", syncPolicy(3));
            objects.add(application);
        }
        return objects;
    }

    static ObjectNode addon(ClusterContext context, ResolvedAddon addon) {
        ObjectNode application = application(context, clusterName(context) + ".addons." + addon.name(),
                addon.labels(context));
        application.withObjectProperty("metadata").putObject("annotations")
                .put("argocd.argoproj.io/sync-wave", Integer.toString(addon.wave()));
        ObjectNode spec = application.withObjectProperty("spec");
        ObjectNode source = spec.putObject("source");
        var definition = addon.spec();
        if (definition.git().isPresent()) {
            source.put("repoURL", definition.git().get().url());
            source.put("path", definition.git().get().path().orElse("."));
            source.put("targetRevision", addon.version());
            List<String> files = definition.git().get().files();
            if (!files.isEmpty()) {
                source.putObject("directory").put("include", files.size() == 1 ? files.getFirst()
                        : "{" + String.join(",", files) + "}");
            }
        } else {
            var chart = definition.chart().orElseThrow();
            if (chart.isOci()) {
                // Argo CD reads an OCI chart as an artifact: the chart's own URL, path "." and the tag as revision.
                source.put("repoURL", chart.chartUrl());
                source.put("path", ".");
            } else {
                source.put("repoURL", chart.repository());
                source.put("chart", chart.name());
            }
            source.put("targetRevision", addon.version());
            ObjectNode helm = source.putObject("helm");
            helm.put("releaseName", addon.releaseName(context));
            addon.values().ifPresent(values -> helm.set("valuesObject", values));
        }
        // "in-cluster" is the name Argo CD gives the cluster it runs in, the management cluster.
        spec.putObject("destination").put("name", definition.runsOnManagement() ? "in-cluster" : clusterName(context))
                .put("namespace", addon.namespace(context));
        spec.set("syncPolicy", syncPolicy(definition.effectiveRetries()));
        return application;
    }

    private static ObjectNode application(ClusterContext context, String name, Map<String, String> labels) {
        ObjectNode application = Manifest.namespaced(API_VERSION, "Application", context.settings().argoCdNamespace(), name,
                labels);
        application.withObjectProperty("metadata").putArray("finalizers").add(RESOURCES_FINALIZER);
        application.putObject("spec").put("project", "default");
        return application;
    }

    private static ObjectNode fleetSource(ClusterContext context, String path) {
        ObjectNode source = Json.MAPPER.createObjectNode();
        source.put("repoURL", context.settings().repositoryUrl());
        source.put("path", path);
        source.put("targetRevision", context.settings().branch());
        return source;
    }

    private static ObjectNode syncPolicy(int retries) {
        ObjectNode policy = Json.MAPPER.createObjectNode();
        policy.putObject("automated").put("prune", true).put("selfHeal", true);
        policy.putArray("syncOptions").add("CreateNamespace=true").add("ServerSideApply=true");
        ObjectNode retry = policy.putObject("retry");
        retry.put("limit", retries);
        retry.putObject("backoff").put("duration", "30s").put("factor", 2).put("maxDuration", "10m");
        return policy;
    }
}
