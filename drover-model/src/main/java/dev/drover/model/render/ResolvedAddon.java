package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.model.addon.AddonResolution;
import dev.drover.model.addon.Placeholders;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One add-on as a cluster gets it: from the winning profile, in the version of the cluster's environment, with the
 * cluster's overrides merged into the values and every placeholder filled.
 *
 * @param dependsOn the add-ons it waits for: its own dependsOn and, unless it is one, the cluster's foundation add-ons
 * @param wave the add-on's depth in its dependency chain (0 without dependencies); Argo CD syncs in this order
 */
record ResolvedAddon(String name, String profile, AddonProfileSpec.Addon spec, String version, Optional<JsonNode> values,
                     List<String> dependsOn, int wave) {

    ResolvedAddon {
        requireNonNull(name, "name is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(version, "version is null");
        requireNonNull(values, "values is null");
        dependsOn = List.copyOf(dependsOn);
    }

    /** Where it is installed: its namespace in the workload cluster, or on the management cluster the team's. */
    String namespace(ClusterContext context) {
        return spec.runsOnManagement() ? context.namespace() : spec.namespace().orElseThrow();
    }

    /** The Helm release name: unique in its namespace, which on the management cluster all the team's clusters share. */
    String releaseName(ClusterContext context) {
        return spec.runsOnManagement() ? context.name() + "-" + name : name;
    }

    /** The cluster's labels, and which add-on and profile the object belongs to. */
    Map<String, String> labels(ClusterContext context) {
        Map<String, String> labels = context.labels();
        labels.put(Kinds.LABEL_PREFIX + "addon", name);
        labels.put(Kinds.LABEL_PREFIX + "addon-profile", profile);
        return labels;
    }

    ClusterStatus.AddonStatus status(ClusterContext context) {
        String source = spec.chart().map(AddonProfileSpec.HelmChart::chartUrl)
                .orElseGet(() -> spec.git().map(git -> git.url() + git.path().map(path -> "//" + path).orElse("")).orElse(""));
        return new ClusterStatus.AddonStatus(name, version, profile, Optional.of(namespace(context)), Optional.of(source));
    }

    /**
     * The cluster's add-ons, sorted by name.
     *
     * @throws RenderProblem when profiles conflict, the cluster's choices no longer fit its profiles, or a placeholder
     *     has no value for the cluster
     */
    static List<ResolvedAddon> resolve(ClusterContext context) {
        AddonResolution.Result resolution = AddonResolution.resolve(context.selectionLabels(), context.profiles());
        if (!resolution.conflicts().isEmpty()) {
            throw new RenderProblem("AddonConflict", resolution.conflicts().stream().map(AddonResolution.Conflict::message)
                    .collect(Collectors.joining("; ")) + ". The files last committed for the cluster stay as they are");
        }
        ClusterSpec.Addons choices = context.spec().addons().orElse(new ClusterSpec.Addons(List.of(), Map.of()));
        List<FieldError> invalid = AddonResolution.checkChoices(resolution, choices, "spec.addons");
        if (!invalid.isEmpty()) {
            throw new RenderProblem("AddonChoiceInvalid", "the cluster's add-on choices no longer fit its AddonProfiles: "
                    + invalid.stream().map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; "))
                    + ". Change spec.addons of the cluster, or the profile");
        }
        Map<String, AddonResolution.Selected> kept = new HashMap<>(resolution.addons());
        kept.keySet().removeAll(choices.exclude());
        List<AddonProfileSpec.Addon> foundation = kept.values().stream().map(AddonResolution.Selected::addon)
                .filter(AddonProfileSpec.Addon::isFoundation).toList();
        List<ResolvedAddon> addons = new ArrayList<>();
        for (AddonResolution.Selected selected : resolution.addons().values()) {
            if (!kept.containsKey(selected.addon().name())) {
                continue;
            }
            AddonProfileSpec.Addon addon = selected.addon();
            Optional<JsonNode> merged = merge(addon.values(), Optional.ofNullable(choices.overrides().get(addon.name())));
            Optional<JsonNode> values;
            try {
                values = merged.map(tree -> Placeholders.substitute(tree, name -> placeholder(context, name)));
            } catch (Placeholders.Unresolved missing) {
                throw new RenderProblem("AddonValueMissing", "add-on \"" + addon.name() + "\" of AddonProfile \""
                        + selected.profile() + "\": " + missing.getMessage() + " for this cluster; "
                        + (missing.name().startsWith(Placeholders.VARIABLE_PREFIX)
                        ? "give the cluster the variable or add it with a default to flavor \"" + context.flavorName() + "\""
                        : missing.name().equals("cluster.accountId")
                        ? "declare the cloud account of environment \"" + context.spec().environment() + "\" in Team \""
                                + context.namespace() + "\" (spec.environments[].cloudAccount.id)"
                        : "narrow the profile's clusterSelector to clusters that have one"));
            }
            addons.add(new ResolvedAddon(addon.name(), selected.profile(), addon, addon.versionFor(context.spec().environment()),
                    values, dependencies(addon, foundation), wave(addon.name(), kept, foundation, new java.util.HashSet<>())));
        }
        return addons;
    }

    private static Optional<JsonNode> placeholder(ClusterContext context, String name) {
        return switch (name) {
            case "cluster.name" -> Optional.of(TextNode.valueOf(context.name()));
            case "cluster.providerName" -> Optional.of(TextNode.valueOf(context.providerClusterName()));
            case "cluster.accountId" -> context.cloudAccount().map(account -> TextNode.valueOf(account.id()));
            case "cluster.region" -> context.spec().region().or(context.flavor()::effectiveDefaultRegion).map(TextNode::valueOf);
            case "cluster.flavor" -> Optional.of(TextNode.valueOf(context.flavorName()));
            case "cluster.provider" -> Optional.of(TextNode.valueOf(context.flavor().provider().wireName()));
            case "cluster.kubernetesVersion" -> Optional.of(TextNode.valueOf(context.version().substring(1)));
            case "team.name" -> Optional.of(TextNode.valueOf(context.namespace()));
            case "environment" -> Optional.of(TextNode.valueOf(context.spec().environment()));
            default -> {
                if (name.startsWith(Placeholders.VARIABLE_PREFIX)) {
                    yield context.variable(name.substring(Placeholders.VARIABLE_PREFIX.length()));
                }
                if (name.startsWith(Placeholders.SETTING_PREFIX)) {
                    yield Optional.ofNullable(context.flavor().providerSettings().get(name.substring(Placeholders.SETTING_PREFIX.length())))
                            .map(TextNode::valueOf);
                }
                yield Optional.empty();
            }
        };
    }

    /** The profile's values with the cluster's override merged in, objects key by key. */
    private static Optional<JsonNode> merge(Optional<JsonNode> base, Optional<JsonNode> override) {
        if (override.isEmpty()) {
            return base;
        }
        if (base.isEmpty()) {
            return override;
        }
        return Optional.of(mergeTrees(base.get(), override.get()));
    }

    private static JsonNode mergeTrees(JsonNode base, JsonNode override) {
        if (!base.isObject() || !override.isObject()) {
            return override;
        }
        ObjectNode merged = ((ObjectNode) base).deepCopy();
        override.properties().forEach(field -> merged.set(field.getKey(),
                merged.has(field.getKey()) ? mergeTrees(merged.get(field.getKey()), field.getValue()) : field.getValue()));
        return merged;
    }

    /**
     * What an add-on's HelmRelease or Kustomization waits for: its dependsOn, and unless it is one of them the cluster's
     * foundation add-ons of its kind of source (Flux orders HelmReleases among themselves and Kustomizations among
     * themselves).
     */
    private static List<String> dependencies(AddonProfileSpec.Addon addon, List<AddonProfileSpec.Addon> foundation) {
        return withFoundation(addon, foundation.stream().filter(base -> base.chart().isPresent() == addon.chart().isPresent())
                .toList());
    }

    private static List<String> withFoundation(AddonProfileSpec.Addon addon, List<AddonProfileSpec.Addon> foundation) {
        java.util.SortedSet<String> dependencies = new java.util.TreeSet<>(addon.dependsOn());
        if (!addon.isFoundation()) {
            foundation.forEach(base -> dependencies.add(base.name()));
        }
        return List.copyOf(dependencies);
    }

    /**
     * Depth in the dependency chain among the add-ons the cluster keeps. Admission rules out cycles within a
     * profile; one through add-ons that different profiles win is found here.
     */
    private static int wave(String name, Map<String, AddonResolution.Selected> kept, List<AddonProfileSpec.Addon> foundation,
                            java.util.Set<String> visiting) {
        AddonResolution.Selected selected = kept.get(name);
        if (selected == null) {
            return 0;
        }
        if (!visiting.add(name)) {
            throw new RenderProblem("AddonDependencyCycle", "the add-ons " + String.join(", ", new java.util.TreeSet<>(visiting))
                    + " depend on each other in a cycle across AddonProfiles; remove one of their dependsOn entries");
        }
        int depth = 0;
        // Argo CD's sync waves order every Application, so here every add-on waits for every foundation add-on.
        for (String dependency : withFoundation(selected.addon(), foundation)) {
            depth = Math.max(depth, 1 + wave(dependency, kept, foundation, visiting));
        }
        visiting.remove(name);
        return depth;
    }
}
