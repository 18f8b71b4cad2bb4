package dev.drover.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.Provider;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Names;
import dev.drover.model.schema.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Semantic checks of a ClusterFlavor: its defaults must themselves satisfy the standard it sets. */
public final class FlavorValidation {

    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("^1\\.[0-9]+\\.[0-9]+$");

    private FlavorValidation() {
    }

    /** @throws ApiException Invalid with one cause per wrong field */
    public static void check(String name, ClusterFlavorSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        spec.tenancy().ifPresent(tenancy -> {
            for (int index = 0; index < tenancy.namespaces().size(); index++) {
                String namespace = tenancy.namespaces().get(index);
                int position = index;
                Names.checkLabel(namespace).ifPresent(why -> errors.add(FieldError.invalid(
                        "spec.tenancy.namespaces[" + position + "]", namespace, "is a namespace name, so " + why)));
            }
        });
        if (spec.environments().isEmpty()) {
            errors.add(FieldError.required("spec.environments", "list at least one environment, for example development"));
        }
        spec.lifetime().ifPresent(lifetime -> LifetimePolicies.check(lifetime, spec.environments(), "flavor", errors));
        spec.maintenance().ifPresent(maintenance -> MaintenancePolicies.check(maintenance, "spec.maintenance", errors));
        List<String> allowed = spec.kubernetesVersions().allowed();
        if (allowed.isEmpty()) {
            errors.add(FieldError.required("spec.kubernetesVersions.allowed", "list at least one version, for example 1.31.4"));
        }
        for (int index = 0; index < allowed.size(); index++) {
            if (!VERSION.matcher(allowed.get(index)).matches()) {
                errors.add(FieldError.invalid("spec.kubernetesVersions.allowed[" + index + "]", allowed.get(index),
                        "must be a Kubernetes version MAJOR.MINOR.PATCH such as 1.31.4"));
            }
        }
        checkLifecycle(spec.kubernetesVersions(), errors);
        String defaultVersion = spec.kubernetesVersions().defaultVersion();
        if (!allowed.isEmpty() && !allowed.contains(defaultVersion)) {
            errors.add(FieldError.invalid("spec.kubernetesVersions.default", defaultVersion,
                    "must be one of spec.kubernetesVersions.allowed (" + String.join(", ", allowed) + ")"));
        }
        checkMachineImages(spec, errors);
        checkNumericSettings(spec, errors);
        spec.defaultRegion().filter(region -> !spec.regions().contains(region)).ifPresent(region ->
                errors.add(FieldError.invalid("spec.defaultRegion", region,
                        "must be one of spec.regions (" + String.join(", ", spec.regions()) + ")")));
        ClusterAdmission.checkNodePools(spec.defaultNodePools(), "spec.defaultNodePools", name, spec, errors);
        checkVariables(spec, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.CLUSTER_FLAVOR, name, errors);
        }
    }

    /** Nodes boot the kubelet their image holds, so an image per version, where the provider takes one from the flavor. */
    private static void checkMachineImages(ClusterFlavorSpec spec, List<FieldError> errors) {
        Map<String, String> images = spec.kubernetesVersions().machineImages();
        String field = "spec.kubernetesVersions.machineImages";
        if (spec.provider() != Provider.VSPHERE) {
            if (!images.isEmpty()) {
                errors.add(FieldError.forbidden(field, spec.provider() == Provider.AWS
                        ? "AMIs are regional: Cluster API Provider AWS looks one up per version and region; set "
                                + "spec.providerSettings imageLookupOrg (and imageLookupFormat, imageLookupBaseOS) instead"
                        : "provider " + spec.provider().wireName() + " chooses the node image from the version itself"));
            }
            return;
        }
        for (String version : spec.kubernetesVersions().allowed()) {
            if (!images.containsKey(version)) {
                errors.add(FieldError.required(field + "." + version, "give the VM template whose kubelet is " + version
                        + ", for example ubuntu-2204-kube-v" + version));
            }
        }
        images.keySet().stream().filter(version -> !spec.kubernetesVersions().allowed().contains(version)).sorted()
                .forEach(version -> errors.add(FieldError.invalid(field + "." + version, images.get(version),
                        "is the image of a version the flavor does not allow; remove it or add the version to allowed")));
    }

    /** Provider settings the renderers read as numbers: refused here rather than failing every cluster's render. */
    private static void checkNumericSettings(ClusterFlavorSpec spec, List<FieldError> errors) {
        String diskGiB = spec.providerSettings().get(FlavorSettings.DISK_GIB);
        if (diskGiB != null && !diskGiB.isEmpty() && FlavorSettings.diskGiB(diskGiB).isEmpty()) {
            errors.add(FieldError.invalid("spec.providerSettings." + FlavorSettings.DISK_GIB, diskGiB,
                    "must be a whole number of GiB from 1 to " + FlavorSettings.MAX_DISK_GIB + ", such as \"40\""));
        }
        String replicas = spec.providerSettings().get(FlavorSettings.CONTROL_PLANE_REPLICAS);
        if (replicas != null && !replicas.isEmpty() && FlavorSettings.controlPlaneReplicas(replicas).isEmpty()) {
            errors.add(FieldError.invalid("spec.providerSettings." + FlavorSettings.CONTROL_PLANE_REPLICAS, replicas,
                    "must be an odd whole number such as 1, 3 or 5 (etcd needs a majority)"));
        }
    }

    private static void checkVariables(ClusterFlavorSpec spec, List<FieldError> errors) {
        for (int index = 0; index < spec.variables().size(); index++) {
            ClusterFlavorSpec.Variable variable = spec.variables().get(index);
            String path = "spec.variables[" + index + "]";
            if (variable.pattern().isPresent()) {
                try {
                    com.google.re2j.Pattern.compile(variable.pattern().get());
                } catch (com.google.re2j.PatternSyntaxException badPattern) {
                    errors.add(FieldError.invalid(path + ".pattern", variable.pattern().get(),
                            "is not a regular expression Drover can match in linear time (RE2 syntax: no backreferences "
                            + "or lookaround): " + badPattern.getDescription()));
                    continue;
                }
            }
            variable.defaultValue().flatMap(value -> VariableCheck.check(variable, value, path + ".default"))
                    .ifPresent(errors::add);
            for (Map.Entry<String, JsonNode> entry : variable.environmentDefaults().entrySet()) {
                String entryPath = path + ".environmentDefaults." + entry.getKey();
                if (!spec.environments().contains(entry.getKey())) {
                    errors.add(FieldError.invalid(entryPath, entry.getKey(), "is not one of spec.environments ("
                            + String.join(", ", spec.environments()) + ")"));
                }
                VariableCheck.check(variable, entry.getValue(), entryPath).ifPresent(errors::add);
            }
        }
    }

    /** Lifecycle keys name an allowed version or a minor of one; stages go forward in classification and in time. */
    private static void checkLifecycle(ClusterFlavorSpec.KubernetesVersions versions, List<FieldError> errors) {
        versions.lifecycle().forEach((key, stages) -> {
            String path = "spec.kubernetesVersions.lifecycle[\"" + key + "\"]";
            boolean known = versions.allowed().contains(key)
                    || versions.allowed().stream().anyMatch(version -> dev.drover.model.version.VersionLifecycle.minor(version).equals(key));
            if (!known) {
                errors.add(FieldError.invalid(path, key, "is neither an allowed version nor the minor of one (allowed: "
                        + String.join(", ", versions.allowed()) + ")"));
            }
            java.time.Instant previousStart = java.time.Instant.MIN;
            int previousClass = -1;
            for (int index = 0; index < stages.size(); index++) {
                ClusterFlavorSpec.LifecycleStage stage = stages.get(index);
                java.time.Instant start;
                try {
                    start = java.time.Instant.parse(stage.startTime());
                } catch (java.time.format.DateTimeParseException invalid) {
                    errors.add(FieldError.invalid(path + "[" + index + "].startTime", stage.startTime(),
                            "is not a valid time; write it as 2026-12-02T00:00:00Z"));
                    continue;
                }
                if (!start.isAfter(previousStart) || stage.classification().ordinal() <= previousClass) {
                    errors.add(FieldError.invalid(path + "[" + index + "]", stage.classification().wireName() + " at " + stage.startTime(),
                            "stages must go forward: preview, supported, deprecated, expired, each later than the one before"));
                }
                previousStart = start;
                previousClass = stage.classification().ordinal();
            }
        });
    }
}
