package dev.drover.model.validation;

import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** An AppTemplate on its own: sizes that make sense, probe paths, patch paths, gates and pinned scaffold images. */
public final class AppTemplateValidation {

    /** A Kubernetes resource quantity as requests and limits take it (decimal or binary suffix). */
    static final Pattern QUANTITY = Pattern.compile("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$");
    static final Pattern DIGEST_PINNED = Pattern.compile("^[^@\\s]+@sha256:[a-f0-9]{64}$");
    private static final Pattern CIDR = Pattern.compile("^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$|^[0-9a-fA-F:]+/[0-9]{1,3}$");

    private AppTemplateValidation() {
    }

    /** @throws ApiException Invalid naming every bad field */
    public static void check(String name, AppTemplateSpec template) {
        List<FieldError> errors = new ArrayList<>();
        if (template.sizes().isEmpty()) {
            errors.add(FieldError.required("spec.sizes", "give at least one size, such as {name: small, cpu: 250m, memory: 512Mi, "
                    + "minReplicas: 2, maxReplicas: 4}"));
        }
        Set<String> sizes = new HashSet<>();
        for (int index = 0; index < template.sizes().size(); index++) {
            AppTemplateSpec.Size size = template.sizes().get(index);
            String path = "spec.sizes[" + index + "]";
            if (!sizes.add(size.name())) {
                errors.add(FieldError.duplicate(path + ".name", size.name()));
            }
            quantity(errors, path + ".cpu", size.cpu());
            quantity(errors, path + ".memory", size.memory());
            size.cpuLimit().ifPresent(limit -> quantity(errors, path + ".cpuLimit", limit));
            if (size.minReplicas() > size.maxReplicas()) {
                errors.add(FieldError.invalid(path + ".maxReplicas", size.maxReplicas(), "must be at least minReplicas ("
                        + size.minReplicas() + ")"));
            }
        }
        template.probes().ifPresent(probes -> {
            probes.readinessPath().filter(path -> !path.startsWith("/")).ifPresent(path ->
                    errors.add(FieldError.invalid("spec.probes.readinessPath", path, "an HTTP path starting with /")));
            probes.livenessPath().filter(path -> !path.startsWith("/")).ifPresent(path ->
                    errors.add(FieldError.invalid("spec.probes.livenessPath", path, "an HTTP path starting with /")));
        });
        template.targetCpuUtilization().filter(percent -> percent > 100).ifPresent(percent ->
                errors.add(FieldError.invalid("spec.targetCpuUtilization", percent, "a percentage from 1 to 100")));
        for (int index = 0; index < template.allowedPatchPaths().size(); index++) {
            String path = template.allowedPatchPaths().get(index);
            if (!path.startsWith("/spec/") && !path.startsWith("/metadata/")) {
                errors.add(FieldError.invalid("spec.allowedPatchPaths[" + index + "]", path, "a JSON pointer into the "
                        + "Deployment, starting with /spec/ or /metadata/"));
            }
        }
        if (template.allowedAdvanced().contains(AppTemplateSpec.AdvancedKey.PATCHES) && template.allowedPatchPaths().isEmpty()) {
            errors.add(FieldError.required("spec.allowedPatchPaths", "allowedAdvanced has patches: name the Deployment paths "
                    + "they may change, such as /spec/template/spec/containers/0/args"));
        }
        if (template.allowedAdvanced().contains(AppTemplateSpec.AdvancedKey.INGRESS_HOST) && template.ingress().isEmpty()) {
            errors.add(FieldError.required("spec.ingress", "allowedAdvanced has ingressHost: give the ingress className the "
                    + "hosts are served with"));
        }
        template.network().ifPresent(network -> {
            for (int index = 0; index < network.egress().size(); index++) {
                AppTemplateSpec.Egress egress = network.egress().get(index);
                if (!CIDR.matcher(egress.cidr()).matches()) {
                    errors.add(FieldError.invalid("spec.network.egress[" + index + "].cidr", egress.cidr(), "a CIDR such as 10.0.0.0/8"));
                }
                egress.ports().stream().filter(port -> port < 1 || port > 65535).forEach(port -> errors.add(FieldError.invalid(
                        "spec.network.egress[" + egress.cidr() + "].ports", port, "a port from 1 to 65535")));
            }
        });
        for (int index = 0; index < template.scanGates().size(); index++) {
            if (template.scanGates().get(index).block().isEmpty()) {
                errors.add(FieldError.required("spec.scanGates[" + index + "].block", "name the severities that block, such "
                        + "as [CRITICAL, HIGH]; remove the gate to take any image"));
            }
        }
        template.scaffold().ifPresent(scaffold -> {
            pinned(errors, "spec.scaffold.buildImage", scaffold.buildImage());
            pinned(errors, "spec.scaffold.runtimeImage", scaffold.runtimeImage());
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(Kinds.APP_TEMPLATE, name, errors);
        }
    }

    static void quantity(List<FieldError> errors, String field, String value) {
        if (!QUANTITY.matcher(value).matches() || value.matches("^0+(\\.0+)?[a-zA-Z]*$")) {
            errors.add(FieldError.invalid(field, value, "a Kubernetes quantity above zero, such as 250m, 1, 512Mi or 2Gi"));
        }
    }

    private static void pinned(List<FieldError> errors, String field, String image) {
        if (!DIGEST_PINNED.matcher(image).matches()) {
            errors.add(FieldError.invalid(field, image, "pin the base image by digest (name:tag@sha256:<64 hex>), so that "
                    + "every build starts from the same bytes"));
        }
    }
}
