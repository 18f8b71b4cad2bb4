package dev.drover.model.validation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.addon.AddonResolution;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.Named;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates a Cluster request against its team and flavor and fills in the flavor's defaults. Pure: every
 * input, including the team's current usage, is passed in.
 */
public final class ClusterAdmission {

    /** What a team's other clusters already use. */
    public record TeamUsage(int clusters, int nodes) {
    }

    /** A validated, defaulted spec and the labels Drover sets on the Cluster. */
    public record Admitted(ClusterSpec spec, Map<String, String> labels) {
        public Admitted {
            requireNonNull(spec, "spec is null");
            labels = Map.copyOf(labels);
        }
    }

    private ClusterAdmission() {
    }

    /**
     * @param previous the stored spec on update, empty on create
     * @param userLabels the labels the request sets on the Cluster; with Drover's own they select AddonProfiles
     * @param profiles every AddonProfile by name, against which spec.addons is checked
     * @throws ApiException Invalid with one cause per wrong field, or Forbidden when a quota would be exceeded
     */
    public static Admitted admit(String name, ClusterSpec spec, Optional<ClusterSpec> previous,
                                 Named<TeamSpec> team, Optional<Named<ClusterFlavorSpec>> flavor, TeamUsage usageOfOthers,
                                 Map<String, String> userLabels, java.util.SortedMap<String, AddonProfileSpec> profiles) {
        List<FieldError> errors = new ArrayList<>();
        if (flavor.isEmpty()) {
            errors.add(FieldError.notFoundReference("spec.flavor", spec.flavor(), "ClusterFlavor",
                    "kubectl get clusterflavors"));
            throw ApiException.invalid(Kinds.CLUSTER, name, errors);
        }
        ClusterFlavorSpec standard = flavor.get().spec();
        String flavorName = flavor.get().name();

        checkEnvironment(spec, team, flavorName, standard, errors);
        String version = spec.kubernetesVersion().orElse(standard.kubernetesVersions().defaultVersion());
        if (!standard.kubernetesVersions().allowed().contains(version)) {
            errors.add(notAllowed("spec.kubernetesVersion", version, "version", flavorName,
                    standard.kubernetesVersions().allowed()));
        }
        Optional<String> region = spec.region().or(standard::effectiveDefaultRegion);
        if (region.isPresent() && !standard.regions().contains(region.get())) {
            errors.add(standard.regions().isEmpty()
                    ? FieldError.forbidden("spec.region", "flavor \"" + flavorName + "\" has no regions; leave the field unset")
                    : notAllowed("spec.region", region.get(), "region", flavorName, standard.regions()));
        }
        List<NodePool> pools = spec.nodePools().isEmpty() ? standard.defaultNodePools() : spec.nodePools();
        checkNodePools(pools, "spec.nodePools", flavorName, standard, errors);
        Map<String, JsonNode> variables = checkVariables(spec, flavorName, standard, errors);
        spec.hibernation().ifPresent(hibernation -> checkHibernation(hibernation, errors));
        spec.maintenance().ifPresent(maintenance -> MaintenancePolicies.check(maintenance, "spec.maintenance", errors));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Kinds.LABEL_PREFIX + "team", team.name());
        labels.put(Kinds.LABEL_PREFIX + "environment", spec.environment());
        labels.put(Kinds.LABEL_PREFIX + "flavor", flavorName);
        labels.put(Kinds.LABEL_PREFIX + "provider", standard.provider().wireName());
        region.ifPresent(value -> labels.put(Kinds.LABEL_PREFIX + "region", value));
        spec.addons().ifPresent(choices -> {
            Map<String, String> allLabels = new TreeMap<>(userLabels);
            allLabels.putAll(labels);
            errors.addAll(AddonResolution.checkChoices(AddonResolution.resolve(allLabels, profiles), choices, "spec.addons"));
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.CLUSTER, name, errors);
        }

        ClusterSpec admitted = new ClusterSpec(spec.flavor(), spec.environment(), region, Optional.of(version), pools,
                variables, spec.hibernation(), spec.ttl(), spec.addons(), spec.allowPreviewVersion(), spec.maintenance());
        checkQuotas(name, admitted, previous, team, usageOfOthers);
        return new Admitted(admitted, labels);
    }

    private static void checkEnvironment(ClusterSpec spec, Named<TeamSpec> team, String flavorName,
                                         ClusterFlavorSpec standard, List<FieldError> errors) {
        String environment = spec.environment();
        if (!standard.environments().contains(environment)) {
            errors.add(notAllowed("spec.environment", environment, "environment", flavorName, standard.environments()));
        }
        if (team.spec().environment(environment).isEmpty()) {
            List<String> teamEnvironments = team.spec().environments().stream().map(TeamSpec.Environment::name).toList();
            errors.add(FieldError.invalid("spec.environment", environment, "team \"" + team.name()
                    + "\" has no such environment (team environments: " + String.join(", ", teamEnvironments)
                    + "); a platform admin adds it to the Team's spec.environments"));
        }
    }

    static void checkNodePools(List<NodePool> pools, String path, String flavorName, ClusterFlavorSpec standard,
                               List<FieldError> errors) {
        for (int index = 0; index < pools.size(); index++) {
            NodePool pool = pools.get(index);
            String poolPath = path + "[" + index + "]";
            if (pool.minSize() > pool.maxSize()) {
                errors.add(FieldError.invalid(poolPath + ".minSize", pool.minSize(),
                        "must be less than or equal to maxSize (" + pool.maxSize() + ")"));
            }
            if (!standard.instanceTypes().isEmpty() && !standard.instanceTypes().contains(pool.instanceType())) {
                errors.add(notAllowed(poolPath + ".instanceType", pool.instanceType(), "instance type", flavorName,
                        standard.instanceTypes()));
            }
        }
    }

    private static void checkHibernation(ClusterSpec.Hibernation hibernation, List<FieldError> errors) {
        hibernation.timeZone().ifPresent(zone -> {
            try {
                java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException unknown) {
                errors.add(FieldError.invalid("spec.hibernation.timeZone", zone,
                        "is not an IANA time zone; use a name such as Europe/Berlin or America/New_York"));
            }
        });
        for (int index = 0; index < hibernation.windows().size(); index++) {
            ClusterSpec.Window window = hibernation.windows().get(index);
            if (window.start().equals(window.end())) {
                errors.add(FieldError.invalid("spec.hibernation.windows[" + index + "].end", window.end(),
                        "must differ from start; a window from 20:00 to 07:00 runs past midnight"));
            }
            if (window.days().isEmpty()) {
                errors.add(FieldError.required("spec.hibernation.windows[" + index + "].days", "name at least one day, e.g. [Mon, Tue]"));
            }
        }
        hibernation.override().ifPresent(override -> {
            Optional<java.time.Instant> from = instant("spec.hibernation.override.from", override.from(), errors);
            Optional<java.time.Instant> until = instant("spec.hibernation.override.until", override.until(), errors);
            if (from.isPresent() && until.isPresent() && !until.get().isAfter(from.get())) {
                errors.add(FieldError.invalid("spec.hibernation.override.until", override.until().get(),
                        "must be after from (" + override.from().get() + ")"));
            }
        });
    }

    private static Optional<java.time.Instant> instant(String field, Optional<String> text, List<FieldError> errors) {
        try {
            return text.map(java.time.Instant::parse);
        } catch (java.time.format.DateTimeParseException invalid) {
            errors.add(FieldError.invalid(field, text.get(), "is not a valid time; write it as 2026-12-24T18:00:00Z"));
            return Optional.empty();
        }
    }

    private static Map<String, JsonNode> checkVariables(ClusterSpec spec, String flavorName, ClusterFlavorSpec standard,
                                                        List<FieldError> errors) {
        Map<String, JsonNode> resolved = new TreeMap<>();
        Set<String> declared = new HashSet<>();
        for (ClusterFlavorSpec.Variable declaration : standard.variables()) {
            declared.add(declaration.name());
            String path = "spec.variables." + declaration.name();
            Optional<JsonNode> value = Optional.ofNullable(spec.variables().get(declaration.name()))
                    .filter(given -> !given.isNull())
                    .or(() -> declaration.defaultFor(spec.environment()));
            if (value.isEmpty()) {
                if (declaration.isRequired()) {
                    errors.add(FieldError.required(path, "flavor \"" + flavorName + "\" requires variable \""
                            + declaration.name() + "\"" + declaration.description().map(text -> " (" + text + ")").orElse("")));
                }
                continue;
            }
            VariableCheck.check(declaration, value.get(), path).ifPresent(errors::add);
            resolved.put(declaration.name(), value.get());
        }
        for (String given : new TreeMap<>(spec.variables()).keySet()) {
            if (!declared.contains(given)) {
                errors.add(FieldError.invalid("spec.variables." + given, given, "flavor \"" + flavorName
                        + "\" declares no such variable (declared: " + String.join(", ",
                        standard.variables().stream().map(ClusterFlavorSpec.Variable::name).sorted().toList()) + ")"));
            }
        }
        return resolved;
    }

    private static void checkQuotas(String name, ClusterSpec admitted, Optional<ClusterSpec> previous, Named<TeamSpec> team,
                                    TeamUsage usageOfOthers) {
        TeamSpec.Quotas quotas = team.spec().quotas().orElse(new TeamSpec.Quotas(Optional.empty(), Optional.empty()));
        if (previous.isEmpty() && quotas.clusters().isPresent() && usageOfOthers.clusters() + 1 > quotas.clusters().get()) {
            throw ApiException.forbidden("clusters.platform.drover.dev \"" + name + "\" is forbidden: exceeded quota of team \""
                    + team.name() + "\": requested 1 more cluster, used " + usageOfOthers.clusters() + ", limited "
                    + quotas.clusters().get() + " (spec.quotas.clusters); delete a cluster or ask a platform admin to raise the quota");
        }
        int nodes = admitted.maxNodes();
        boolean grows = previous.map(before -> nodes > before.maxNodes()).orElse(true);
        if (grows && quotas.nodes().isPresent() && usageOfOthers.nodes() + nodes > quotas.nodes().get()) {
            throw ApiException.forbidden("clusters.platform.drover.dev \"" + name + "\" is forbidden: exceeded quota of team \""
                    + team.name() + "\": requested " + nodes + " nodes (sum of nodePools[].maxSize), used "
                    + usageOfOthers.nodes() + " by other clusters, limited " + quotas.nodes().get()
                    + " (spec.quotas.nodes); lower maxSize or ask a platform admin to raise the quota");
        }
    }

    static FieldError notAllowed(String path, String value, String what, String flavorName, List<String> allowed) {
        return FieldError.invalid(path, value, what + " \"" + value + "\" is not allowed by flavor \"" + flavorName
                + "\" (allowed: " + String.join(", ", allowed) + ")");
    }
}
