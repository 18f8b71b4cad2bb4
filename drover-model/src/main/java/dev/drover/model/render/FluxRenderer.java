package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hub and spoke: on the management cluster, per workload cluster, a Flux {@code GitRepository} for the fleet
 * repository and a Flux {@code Kustomization} that applies the cluster's directory into the workload cluster
 * through the kubeconfig Secret Cluster API writes ({@code <cluster>-kubeconfig}, key {@code value}). Add-ons are
 * HelmReleases (or Kustomizations) on the management cluster that install into the workload cluster through the
 * same Secret, so workload clusters need no Flux of their own.
 */
final class FluxRenderer {

    private static final String SOURCE_API_VERSION = "source.toolkit.fluxcd.io/v1";
    private static final String KUSTOMIZE_API_VERSION = "kustomize.toolkit.fluxcd.io/v1";
    private static final String HELM_API_VERSION = "helm.toolkit.fluxcd.io/v2";
    /** The media type of a Helm chart's layer in an OCI artifact. */
    private static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    static final java.util.regex.Pattern COMMIT = java.util.regex.Pattern.compile("^[0-9a-f]{40}$");

    private FluxRenderer() {
    }

    /**
     * @param withAddons whether the cluster has add-ons, applied by a Kustomization of their own
     * @param applications the Applications in the cluster, each applied by a Kustomization of its own, so that each
     *     one's readiness (it waits for its workloads) is observed apart
     */
    static List<ObjectNode> render(ClusterContext context, boolean withAddons, List<String> applications) {
        String workloadName = context.name() + "-workload";
        ObjectNode workload = kustomization(context, workloadName, FleetPaths.workloadClusterDirectory(context.id()));
        workload.withObjectProperty("spec").putObject("kubeConfig").set("secretRef", kubeconfigSecret(context));
        List<ObjectNode> objects = new ArrayList<>(List.of(source(context), workload));
        if (withAddons) {
            objects.add(kustomization(context, context.name() + "-addons", FleetPaths.addonsDirectory(context.id())));
        }
        for (String application : applications) {
            Map<String, String> labels = new java.util.LinkedHashMap<>(context.labels());
            labels.put(ApplicationRenderer.APPLICATION_LABEL, application);
            ObjectNode apply = kustomization(context, GitOpsNames.fluxApplication(context.id(), application),
                    FleetPaths.applicationDirectory(context.id(), application));
            apply.withObjectProperty("metadata").set("labels", Manifest.stringMap(labels));
            ObjectNode spec = apply.withObjectProperty("spec");
            spec.put("wait", true);
            spec.putObject("kubeConfig").set("secretRef", kubeconfigSecret(context));
            // The team's namespace and the placeholders' priority class come with the workload directory.
            spec.putArray("dependsOn").addObject().put("name", workloadName);
            objects.add(apply);
        }
        return objects;
    }

    /** The add-on's source and what installs it: a HelmRelease, or for a Git path a Kustomization. */
    /** Installs through the workload cluster's kubeconfig, unless the add-on runs where Flux does. */
    private static void intoWorkload(ClusterContext context, ResolvedAddon addon, ObjectNode spec) {
        if (!addon.spec().runsOnManagement()) {
            spec.putObject("kubeConfig").set("secretRef", kubeconfigSecret(context));
        }
    }

    static List<ObjectNode> addon(ClusterContext context, ResolvedAddon addon) {
        String name = objectName(context, addon.name());
        Map<String, String> labels = addon.labels(context);
        var spec = addon.spec();
        if (spec.git().isPresent()) {
            ObjectNode source = Manifest.namespaced(SOURCE_API_VERSION, "GitRepository", context.namespace(), name, labels);
            ObjectNode sourceSpec = source.putObject("spec");
            sourceSpec.put("interval", "10m");
            sourceSpec.put("url", spec.git().get().url());
            sourceSpec.putObject("ref").put(COMMIT.matcher(addon.version()).matches() ? "commit" : "tag", addon.version());
            List<String> files = spec.git().get().files();
            if (!files.isEmpty()) {
                String directory = spec.git().get().directory();
                sourceSpec.put("ignore", SourceIgnore.keepOnly(files.stream().map(file -> directory + file).toList()));
            }
            ObjectNode apply = Manifest.namespaced(KUSTOMIZE_API_VERSION, "Kustomization", context.namespace(), name, labels);
            ObjectNode applySpec = apply.putObject("spec");
            applySpec.put("interval", "10m");
            applySpec.put("retryInterval", "1m");
            applySpec.put("timeout", "5m");
            applySpec.put("path", "./" + spec.git().get().directory());
            applySpec.put("prune", true);
            applySpec.put("wait", true);
            applySpec.put("targetNamespace", addon.namespace(context));
            applySpec.putObject("sourceRef").put("kind", "GitRepository").put("name", name);
            intoWorkload(context, addon, applySpec);
            dependsOn(context, addon, applySpec);
            return List.of(source, apply);
        }
        var chart = spec.chart().orElseThrow();
        ObjectNode source;
        ObjectNode release = Manifest.namespaced(HELM_API_VERSION, "HelmRelease", context.namespace(), name, labels);
        ObjectNode releaseSpec = release.putObject("spec");
        releaseSpec.put("interval", "30m");
        releaseSpec.put("releaseName", addon.releaseName(context));
        releaseSpec.put("targetNamespace", addon.namespace(context));
        releaseSpec.put("storageNamespace", addon.namespace(context));
        intoWorkload(context, addon, releaseSpec);
        if (chart.isOci()) {
            source = Manifest.namespaced(SOURCE_API_VERSION, "OCIRepository", context.namespace(), name, labels);
            ObjectNode sourceSpec = source.putObject("spec");
            sourceSpec.put("interval", "1h");
            sourceSpec.put("url", chart.chartUrl());
            sourceSpec.putObject("ref").put("tag", addon.version());
            sourceSpec.putObject("layerSelector").put("mediaType", HELM_CHART_LAYER).put("operation", "copy");
            releaseSpec.putObject("chartRef").put("kind", "OCIRepository").put("name", name);
        } else {
            source = Manifest.namespaced(SOURCE_API_VERSION, "HelmRepository", context.namespace(), name, labels);
            ObjectNode sourceSpec = source.putObject("spec");
            sourceSpec.put("interval", "1h");
            sourceSpec.put("url", chart.repository());
            ObjectNode chartSpec = releaseSpec.putObject("chart").putObject("spec");
            chartSpec.put("chart", chart.name());
            chartSpec.put("version", addon.version());
            chartSpec.putObject("sourceRef").put("kind", "HelmRepository").put("name", name);
            chartSpec.put("interval", "1h");
        }
        ObjectNode install = releaseSpec.putObject("install");
        install.put("createNamespace", true);
        install.put("crds", "CreateReplace");
        install.putObject("remediation").put("retries", spec.effectiveRetries());
        ObjectNode upgrade = releaseSpec.putObject("upgrade");
        upgrade.put("crds", "CreateReplace");
        upgrade.putObject("remediation").put("retries", spec.effectiveRetries()).put("remediateLastFailure", true);
        dependsOn(context, addon, releaseSpec);
        addon.values().ifPresent(values -> releaseSpec.set("values", values));
        return List.of(source, release);
    }

    /** Each add-on's objects are named after the cluster too, because a team's clusters share its namespace. */
    private static String objectName(ClusterContext context, String addon) {
        return context.name() + "-" + addon;
    }

    private static void dependsOn(ClusterContext context, ResolvedAddon addon, ObjectNode spec) {
        if (addon.dependsOn().isEmpty()) {
            return;
        }
        var list = spec.putArray("dependsOn");
        addon.dependsOn().forEach(dependency -> list.addObject().put("name", objectName(context, dependency)));
    }

    private static ObjectNode kubeconfigSecret(ClusterContext context) {
        ObjectNode secret = Json.MAPPER.createObjectNode();
        secret.put("name", context.name() + "-kubeconfig");
        secret.put("key", "value");
        return secret;
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
        spec.put("ignore", SourceIgnore.keepOnly(List.of(FleetPaths.workloadClusterDirectory(context.id()) + "/")));
        return source;
    }

    /** Applies a directory of the cluster's fleet source on the management cluster (unless given a kubeConfig). */
    private static ObjectNode kustomization(ClusterContext context, String name, String path) {
        ObjectNode kustomization = Manifest.namespaced(KUSTOMIZE_API_VERSION, "Kustomization", context.namespace(), name,
                context.labels());
        ObjectNode spec = kustomization.putObject("spec");
        spec.put("interval", "10m");
        spec.put("retryInterval", "1m");
        spec.put("timeout", "5m");
        spec.put("path", "./" + path);
        spec.put("prune", true);
        spec.putObject("sourceRef").put("kind", "GitRepository").put("name", sourceName(context));
        return kustomization;
    }
}
