package dev.drover.model.validation;

import dev.drover.model.addon.Placeholders;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Names;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Semantic checks of an AddonProfile, against the environments and variables the flavors declare. */
public final class AddonProfileValidation {

    /** Helm refuses release names longer than this. */
    static final int RELEASE_NAME_LIMIT = 53;

    private AddonProfileValidation() {
    }

    /**
     * @param environments every environment some flavor allows; version pins must name one
     * @param variables every variable some flavor declares; {@code ${var.NAME}} must name one
     * @throws ApiException Invalid with one cause per wrong field
     */
    public static void check(String name, AddonProfileSpec spec, Set<String> environments, Set<String> variables) {
        List<FieldError> errors = new ArrayList<>();
        spec.clusterSelector().ifPresent(selector -> errors.addAll(selector.check("spec.clusterSelector")));
        if (spec.addons().isEmpty()) {
            errors.add(FieldError.required("spec.addons", "list at least one add-on"));
        }
        Map<String, AddonProfileSpec.Addon> byName = new HashMap<>();
        for (int index = 0; index < spec.addons().size(); index++) {
            AddonProfileSpec.Addon addon = spec.addons().get(index);
            String path = "spec.addons[" + index + "]";
            byName.put(addon.name(), addon);
            Names.checkLabel(addon.name()).ifPresent(why -> errors.add(FieldError.invalid(path + ".name", addon.name(),
                    "is part of object names, so " + why)));
            if (addon.name().length() > RELEASE_NAME_LIMIT) {
                errors.add(FieldError.invalid(path + ".name", addon.name(), "must be at most " + RELEASE_NAME_LIMIT
                        + " characters, the limit of Helm release names"));
            }
            if (addon.runsOnManagement()) {
                addon.namespace().ifPresent(namespace -> errors.add(FieldError.forbidden(path + ".namespace",
                        "an add-on with runsOn: management runs in the team's namespace on the management cluster; remove namespace")));
            } else if (addon.namespace().isEmpty()) {
                errors.add(FieldError.required(path + ".namespace", "name the workload cluster's namespace to install into"));
            }
            addon.namespace().ifPresent(namespace -> Names.checkLabel(namespace).ifPresent(why -> errors.add(
                    FieldError.invalid(path + ".namespace", namespace, "is a namespace name, so " + why))));
            if (addon.chart().isPresent() == addon.git().isPresent()) {
                errors.add(FieldError.required(path, "set exactly one source: chart (a Helm chart) or git (a Git path)"));
            }
            if (addon.git().isPresent() && (addon.values().isPresent() || !addon.overridableValues().isEmpty())) {
                errors.add(FieldError.forbidden(path + ".values", "values and overridableValues apply to Helm charts only; "
                        + "a Git add-on is applied as its manifests are"));
            }
            addon.git().ifPresent(git -> {
                for (int file = 0; file < git.files().size(); file++) {
                    String fileName = git.files().get(file);
                    if (fileName.isBlank() || fileName.contains("/") || fileName.contains("*") || fileName.equals("..")) {
                        errors.add(FieldError.invalid(path + ".git.files[" + file + "]", fileName,
                                "must be the name of a file in git.path, without slashes or wildcards"));
                    }
                }
            });
            checkVersions(addon, path, environments, errors);
            checkValues(addon, path, variables, errors);
            for (int key = 0; key < addon.overridableValues().size(); key++) {
                String value = addon.overridableValues().get(key);
                if (value.isEmpty() || value.startsWith(".") || value.endsWith(".") || value.contains("..")) {
                    errors.add(FieldError.invalid(path + ".overridableValues[" + key + "]", value,
                            "must be a dotted value key such as replicaCount or resources.requests"));
                }
            }
        }
        checkDependencies(spec, byName, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.ADDON_PROFILE, name, errors);
        }
    }

    private static void checkVersions(AddonProfileSpec.Addon addon, String path, Set<String> environments,
                                      List<FieldError> errors) {
        if (addon.version().isBlank()) {
            errors.add(FieldError.required(path + ".version", "give the default chart version or Git tag"));
        }
        addon.versions().forEach((environment, version) -> {
            if (version.isBlank()) {
                errors.add(FieldError.required(path + ".versions." + environment, "give a version or remove the pin"));
            }
            if (!environments.isEmpty() && !environments.contains(environment)) {
                errors.add(FieldError.invalid(path + ".versions." + environment, environment,
                        "no ClusterFlavor allows this environment (environments: " + String.join(", ", new TreeSet<>(environments)) + ")"));
            }
        });
    }

    private static void checkValues(AddonProfileSpec.Addon addon, String path, Set<String> variables, List<FieldError> errors) {
        if (addon.values().isEmpty()) {
            return;
        }
        if (!addon.values().get().isObject()) {
            errors.add(FieldError.invalid(path + ".values", addon.values().get().toString(), "must be an object of Helm values"));
            return;
        }
        try {
            for (Placeholders.Reference reference : Placeholders.references(addon.values().get())) {
                if (!Placeholders.isKnown(reference.name(), variables)) {
                    errors.add(FieldError.invalid(path + ".values." + reference.path(), "${" + reference.name() + "}",
                            "unknown placeholder; use one of " + String.join(", ", Placeholders.FIXED.stream()
                                    .map(known -> "${" + known + "}").toList()) + ", ${var.NAME} for a flavor variable or "
                                    + "${flavor.setting.NAME} for a flavor's providerSettings entry"
                                    + (variables.isEmpty() ? "" : " (" + String.join(", ", new TreeSet<>(variables)) + ")")));
                }
            }
        } catch (IllegalArgumentException unterminated) {
            errors.add(FieldError.invalid(path + ".values", addon.name(), unterminated.getMessage()));
        }
    }

    private static void checkDependencies(AddonProfileSpec spec, Map<String, AddonProfileSpec.Addon> byName,
                                          List<FieldError> errors) {
        for (int index = 0; index < spec.addons().size(); index++) {
            AddonProfileSpec.Addon addon = spec.addons().get(index);
            for (int position = 0; position < addon.dependsOn().size(); position++) {
                String dependency = addon.dependsOn().get(position);
                String path = "spec.addons[" + index + "].dependsOn[" + position + "]";
                AddonProfileSpec.Addon target = byName.get(dependency);
                if (target == null) {
                    errors.add(FieldError.invalid(path, dependency, "no add-on of this profile has that name (add-ons: "
                            + String.join(", ", new TreeSet<>(byName.keySet())) + ")"));
                } else if (addon.isFoundation() && !target.isFoundation()) {
                    errors.add(FieldError.invalid(path, dependency, "a foundation add-on is installed before the others, so it "
                            + "can depend only on foundation add-ons; make " + dependency + " one, or drop the dependency"));
                } else if (target.chart().isPresent() != addon.chart().isPresent()) {
                    errors.add(FieldError.invalid(path, dependency, "a Helm chart add-on can depend only on Helm chart "
                            + "add-ons and a Git add-on only on Git add-ons, because Flux orders HelmReleases and "
                            + "Kustomizations separately"));
                }
            }
        }
        Map<String, Integer> indexByName = new HashMap<>();
        for (int index = 0; index < spec.addons().size(); index++) {
            indexByName.putIfAbsent(spec.addons().get(index).name(), index);
        }
        for (List<String> cycle : cycles(spec.addons(), byName)) {
            errors.add(FieldError.invalid("spec.addons[" + indexByName.get(cycle.getFirst()) + "].dependsOn",
                    String.join(" -> ", cycle), "dependencies form a cycle; remove one of these dependsOn entries"));
        }
    }

    /** At most this many cycles are reported: enough to act on, and a bounded answer whatever the profile. */
    private static final int MAX_CYCLES_REPORTED = 10;

    /**
     * The dependency cycles among the add-ons, each as names from one back to it, add-ons of an earlier cycle not
     * reported again. One depth-first pass that visits every add-on and every dependency once, without recursion: a
     * profile of 10,000 add-ons in one chain is checked as fast as it is read.
     */
    private static List<List<String>> cycles(List<AddonProfileSpec.Addon> addons, Map<String, AddonProfileSpec.Addon> byName) {
        Set<String> finished = new HashSet<>();
        Map<String, Integer> positionOnPath = new HashMap<>();
        Set<String> reported = new HashSet<>();
        List<List<String>> cycles = new ArrayList<>();
        for (AddonProfileSpec.Addon root : addons) {
            if (finished.contains(root.name()) || positionOnPath.containsKey(root.name())) {
                continue;
            }
            List<String> path = new ArrayList<>();
            Deque<int[]> nextDependency = new ArrayDeque<>();
            path.add(root.name());
            positionOnPath.put(root.name(), 0);
            nextDependency.push(new int[] {0});
            while (!path.isEmpty()) {
                AddonProfileSpec.Addon current = byName.get(path.getLast());
                int[] next = nextDependency.peek();
                if (next[0] == current.dependsOn().size()) {
                    finished.add(current.name());
                    positionOnPath.remove(current.name());
                    path.removeLast();
                    nextDependency.pop();
                    continue;
                }
                String dependency = current.dependsOn().get(next[0]++);
                Integer onPath = positionOnPath.get(dependency);
                if (onPath != null) {
                    if (cycles.size() < MAX_CYCLES_REPORTED && !reported.contains(dependency)) {
                        List<String> cycle = new ArrayList<>(path.subList(onPath, path.size()));
                        cycle.add(dependency);
                        reported.addAll(cycle);
                        cycles.add(cycle);
                    }
                } else if (byName.containsKey(dependency) && !finished.contains(dependency)) {
                    positionOnPath.put(dependency, path.size());
                    path.add(dependency);
                    nextDependency.push(new int[] {0});
                }
            }
        }
        return cycles;
    }
}
