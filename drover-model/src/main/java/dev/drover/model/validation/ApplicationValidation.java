package dev.drover.model.validation;

import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Application against its template and team: a size the template has, the team's environments, only the advanced
 * settings the template allows (every other one named in one refusal), patches under allowed paths, a canary that can
 * run. The scan gate needs the scans and is the write path's.
 */
public final class ApplicationValidation {

    private static final Pattern VARIABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    /** Object names built from the Application's: {@code <cluster>-app-<name>}, {@code <name>-placeholder}. */
    public static final int MAX_NAME = 40;

    private ApplicationValidation() {
    }

    /** @throws ApiException Invalid naming every bad field, or naming the missing template */
    public static void check(String name, ApplicationSpec application, java.util.Optional<AppTemplateSpec> found, TeamSpec team) {
        List<FieldError> errors = new ArrayList<>();
        if (name.length() > MAX_NAME) {
            errors.add(FieldError.invalid("metadata.name", name, "at most " + MAX_NAME + " characters: the objects rendered "
                    + "for it in each cluster are named after it"));
        }
        if (found.isEmpty()) {
            errors.add(FieldError.notFoundReference("spec.template", application.template(), "AppTemplate",
                    "kubectl get apptemplates"));
            throw ApiException.invalid(Kinds.APPLICATION, name, errors);
        }
        AppTemplateSpec template = found.get();
        if (template.size(application.size()).isEmpty()) {
            errors.add(FieldError.notSupported("spec.size", application.size(),
                    template.sizes().stream().map(AppTemplateSpec.Size::name).toList()));
        }
        if (application.port() > 65535) {
            errors.add(FieldError.invalid("spec.port", application.port(), "a port from 1 to 65535"));
        }
        environments(errors, application, team);
        application.advanced().ifPresent(advanced -> advanced(errors, application, advanced, template));
        application.delivery().ifPresent(delivery -> delivery(errors, application, delivery));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.APPLICATION, name, errors);
        }
    }

    private static void environments(List<FieldError> errors, ApplicationSpec application, TeamSpec team) {
        if (application.environments().isEmpty()) {
            errors.add(FieldError.required("spec.environments", "name at least one of the team's environments, such as "
                    + "[{name: development}]"));
        }
        List<String> allowed = team.environments().stream().map(TeamSpec.Environment::name).toList();
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < application.environments().size(); index++) {
            ApplicationSpec.Environment environment = application.environments().get(index);
            String path = "spec.environments[" + index + "]";
            if (!seen.add(environment.name())) {
                errors.add(FieldError.duplicate(path + ".name", environment.name()));
            }
            if (!allowed.contains(environment.name())) {
                errors.add(FieldError.notSupported(path + ".name", environment.name(), allowed));
            }
            for (String cluster : environment.clusters()) {
                Names.checkLabel(cluster).ifPresent(problem -> errors.add(FieldError.invalid(path + ".clusters", cluster, problem)));
            }
            environment.clusterSelector().ifPresent(selector -> errors.addAll(selector.check(path + ".clusterSelector")));
        }
    }

    private static void advanced(List<FieldError> errors, ApplicationSpec application, ApplicationSpec.Advanced advanced,
                                 AppTemplateSpec template) {
        List<String> given = new ArrayList<>();
        if (!advanced.variables().isEmpty()) {
            given.add(AppTemplateSpec.AdvancedKey.VARIABLES.wireName());
        }
        if (advanced.resources().isPresent()) {
            given.add(AppTemplateSpec.AdvancedKey.RESOURCES.wireName());
        }
        if (!advanced.extraPorts().isEmpty()) {
            given.add(AppTemplateSpec.AdvancedKey.EXTRA_PORTS.wireName());
        }
        if (advanced.ingressHost().isPresent()) {
            given.add(AppTemplateSpec.AdvancedKey.INGRESS_HOST.wireName());
        }
        if (!advanced.nodeSelector().isEmpty()) {
            given.add(AppTemplateSpec.AdvancedKey.NODE_SELECTOR.wireName());
        }
        if (!advanced.tolerations().isEmpty()) {
            given.add(AppTemplateSpec.AdvancedKey.TOLERATIONS.wireName());
        }
        if (!advanced.patches().isEmpty()) {
            given.add(AppTemplateSpec.AdvancedKey.PATCHES.wireName());
        }
        List<String> allowed = template.allowedAdvanced().stream().map(AppTemplateSpec.AdvancedKey::wireName).toList();
        List<String> refused = given.stream().filter(key -> !allowed.contains(key)).toList();
        for (String key : refused) {
            errors.add(FieldError.forbidden("spec.advanced." + key, "AppTemplate \"" + application.template()
                    + "\" does not allow it (it allows: " + (allowed.isEmpty() ? "no advanced settings" : String.join(", ", allowed))
                    + "); ask the platform team to add it to the template's allowedAdvanced, or remove it"));
        }
        advanced.variables().keySet().stream().filter(key -> !VARIABLE.matcher(key).matches()).sorted().forEach(key ->
                errors.add(FieldError.invalid("spec.advanced.variables", key, "an environment variable name: letters, digits "
                        + "and _, not starting with a digit")));
        advanced.resources().ifPresent(resources -> {
            resources.cpu().ifPresent(cpu -> AppTemplateValidation.quantity(errors, "spec.advanced.resources.cpu", cpu));
            resources.memory().ifPresent(memory -> AppTemplateValidation.quantity(errors, "spec.advanced.resources.memory", memory));
            resources.cpuLimit().ifPresent(limit -> AppTemplateValidation.quantity(errors, "spec.advanced.resources.cpuLimit", limit));
        });
        Set<String> portNames = new HashSet<>(Set.of("http"));
        Set<Integer> ports = new HashSet<>(Set.of(application.port()));
        for (int index = 0; index < advanced.extraPorts().size(); index++) {
            ApplicationSpec.Port port = advanced.extraPorts().get(index);
            if (!portNames.add(port.name())) {
                errors.add(FieldError.duplicate("spec.advanced.extraPorts[" + index + "].name", port.name()));
            }
            if (!ports.add(port.port()) || port.port() > 65535) {
                errors.add(FieldError.invalid("spec.advanced.extraPorts[" + index + "].port", port.port(),
                        "a port from 1 to 65535 that no other port of the application uses"));
            }
        }
        for (int index = 0; index < advanced.patches().size(); index++) {
            ApplicationSpec.Patch patch = advanced.patches().get(index);
            String path = "spec.advanced.patches[" + index + "]";
            boolean under = template.allowedPatchPaths().stream().anyMatch(prefix -> patch.path().equals(prefix)
                    || patch.path().startsWith(prefix + "/"));
            if (!under) {
                errors.add(FieldError.invalid(path + ".path", patch.path(), "not under a path AppTemplate \""
                        + application.template() + "\" lets patches change (" + String.join(", ", template.allowedPatchPaths()) + ")"));
            }
            if (patch.op() != ApplicationSpec.PatchOperation.REMOVE && patch.value().isEmpty()) {
                errors.add(FieldError.required(path + ".value", "add and replace need a value"));
            }
        }
    }

    private static void delivery(List<FieldError> errors, ApplicationSpec application, ApplicationSpec.Delivery delivery) {
        delivery.canary().ifPresent(canary -> {
            if (application.environment(canary.environment()).isEmpty()) {
                errors.add(FieldError.invalid("spec.delivery.canary.environment", canary.environment(), "not one of "
                        + "spec.environments"));
            }
            Names.checkSubdomain(canary.host()).ifPresent(problem -> errors.add(FieldError.invalid(
                    "spec.delivery.canary.host", canary.host(), problem)));
            if (canary.steps().isEmpty()) {
                errors.add(FieldError.required("spec.delivery.canary.steps", "give the steps, such as [{weight: 10, pause: 30m}, "
                        + "{weight: 100}]"));
            }
            int previous = -1;
            for (int index = 0; index < canary.steps().size(); index++) {
                int weight = canary.steps().get(index).weight();
                if (weight > 100 || weight < previous) {
                    errors.add(FieldError.invalid("spec.delivery.canary.steps[" + index + "].weight", weight, "a percentage "
                            + "from 0 to 100, not below the step before (" + Math.max(previous, 0) + ")"));
                }
                previous = weight;
            }
        });
        delivery.overprovisioning().ifPresent(over -> over.environments().stream()
                .filter(environment -> application.environment(environment).isEmpty())
                .forEach(environment -> errors.add(FieldError.invalid("spec.delivery.overprovisioning.environments", environment,
                        "not one of spec.environments"))));
    }
}
