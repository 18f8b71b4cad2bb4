package dev.drover.model.validation;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterFlavorSpec.VersionClassification;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.version.VersionLifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Cluster's Kubernetes version against its flavor's version lifecycle: a new cluster, or a cluster changing its
 * version, gets a supported version (a preview one with spec.allowPreviewVersion), never a deprecated or expired one.
 * A cluster that keeps its version is not refused: the version policy controller and maintenance move it. Pure.
 */
public final class VersionAdmission {

    private VersionAdmission() {
    }

    /**
     * @param requested the version the request names, empty when the flavor's default was taken
     * @param admitted the admitted spec, with its version filled in
     * @throws ApiException Invalid naming spec.kubernetesVersion and the supported versions
     */
    public static void check(String name, Optional<String> requested, ClusterSpec admitted, Optional<ClusterSpec> previous,
                             String flavorName, ClusterFlavorSpec flavor, Instant now) {
        String version = admitted.kubernetesVersion().orElseThrow();
        if (previous.flatMap(ClusterSpec::kubernetesVersion).filter(version::equals).isPresent()) {
            return;
        }
        var classified = VersionLifecycle.classify(flavor.kubernetesVersions(), version, now);
        boolean previewAllowed = admitted.allowPreviewVersion().orElse(false);
        if (classified.classification() == VersionClassification.SUPPORTED
                || (classified.classification() == VersionClassification.PREVIEW && previewAllowed)) {
            return;
        }
        List<String> supported = flavor.kubernetesVersions().allowed().stream().filter(allowed ->
                VersionLifecycle.classify(flavor.kubernetesVersions(), allowed, now).classification() == VersionClassification.SUPPORTED)
                .toList();
        String which = requested.isPresent() ? "version " + version : "the flavor's default version " + version;
        String since = classified.since().map(start -> " since " + start).orElse("");
        String expires = classified.next().filter(next -> next.classification() == VersionClassification.EXPIRED)
                .map(next -> " (it expires at " + next.at() + ")").orElse("");
        String why = switch (classified.classification()) {
            case PREVIEW -> which + " is a preview in flavor \"" + flavorName + "\"" + classified.next()
                    .map(next -> " until " + next.at()).orElse("") + "; set spec.allowPreviewVersion: true to run it anyway, or";
            case DEPRECATED -> which + " is deprecated in flavor \"" + flavorName + "\"" + since + expires
                    + "; new clusters and version changes take a supported version:";
            case EXPIRED -> which + " has expired in flavor \"" + flavorName + "\"" + since + "; take a supported version:";
            case SUPPORTED -> throw new IllegalStateException("supported versions are admitted");
        };
        String choice = supported.isEmpty() ? " the flavor has none supported now; a platform admin adds one"
                : " " + String.join(", ", supported);
        throw ApiException.invalid(Kinds.CLUSTER, name, List.of(FieldError.invalid("spec.kubernetesVersion", version,
                classified.classification() == VersionClassification.PREVIEW && !supported.isEmpty()
                        ? why + " take a supported version:" + choice : why + choice)));
    }
}
