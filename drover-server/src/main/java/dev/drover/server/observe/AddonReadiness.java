package dev.drover.server.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.kube.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether each add-on Drover committed for a cluster is installed at the committed version, from what installs it on
 * the management cluster: a Flux HelmRelease (v2: the newest {@code status.history} entry against the chart version
 * wanted, and the Ready condition; {@code lastAppliedRevision} is deprecated there), a Flux Kustomization for Git
 * add-ons, or an Argo CD Application (sync and health status, the revision synced). Pure.
 */
final class AddonReadiness {

    static final String ADDON_LABEL = dev.drover.model.api.Kinds.LABEL_PREFIX + "addon";

    /** One add-on as observed; {@code installed} is empty while nothing is installed. */
    record Addon(String name, boolean ready, Optional<String> installed, String message) {
    }

    private AddonReadiness() {
    }

    /**
     * @param committed the add-ons of the cluster's committed manifests, by name with their versions
     */
    static List<Addon> of(Map<String, String> committed, Observation observation) {
        List<Addon> addons = new ArrayList<>();
        committed.forEach((name, version) -> {
            Optional<JsonNode> release = labelled(observation.helmReleases(), name);
            Optional<JsonNode> kustomization = labelled(observation.kustomizations(), name);
            Optional<JsonNode> application = labelled(observation.applications(), name);
            if (release.isPresent()) {
                addons.add(helmRelease(name, version, release.get()));
            } else if (kustomization.isPresent()) {
                addons.add(kustomization(name, version, kustomization.get()));
            } else if (application.isPresent()) {
                addons.add(application(name, version, application.get()));
            } else {
                addons.add(new Addon(name, false, Optional.empty(), name + " " + version
                        + " is not on the management cluster yet (no HelmRelease, Kustomization or Application)"));
            }
        });
        return addons;
    }

    private static Addon helmRelease(String name, String version, JsonNode release) {
        String object = "HelmRelease " + release.path("metadata").path("name").asText();
        JsonNode status = release.path("status");
        JsonNode latest = status.path("history").path(0);
        Optional<String> installed = latest.path("status").asText("").equals("deployed")
                ? Optional.of(latest.path("chartVersion").asText()) : Optional.empty();
        Optional<JsonNode> ready = condition(status, "Ready");
        if (ready.isPresent() && ready.get().path("status").asText().equals("False")) {
            return new Addon(name, false, installed, object + " failed: " + ready.get().path("message").asText(
                    ready.get().path("reason").asText("")));
        }
        if (installed.isPresent() && installed.get().equals(version)
                && ready.map(node -> node.path("status").asText().equals("True")).orElse(false)) {
            return new Addon(name, true, installed, object + " installed " + version);
        }
        return new Addon(name, false, installed, object + " installing " + version + installed.map(at -> " (installed " + at + ")")
                .orElse(latest.isMissingNode() ? " (not reconciled yet)" : " (" + latest.path("status").asText() + ")"));
    }

    private static Addon kustomization(String name, String version, JsonNode kustomization) {
        String object = "Kustomization " + kustomization.path("metadata").path("name").asText();
        JsonNode status = kustomization.path("status");
        String applied = status.path("lastAppliedRevision").asText("");
        Optional<String> installed = applied.isEmpty() ? Optional.empty() : Optional.of(applied);
        Optional<JsonNode> ready = condition(status, "Ready");
        if (ready.isPresent() && ready.get().path("status").asText().equals("False")) {
            return new Addon(name, false, installed, object + " failed: " + ready.get().path("message").asText(""));
        }
        boolean atVersion = applied.equals(version) || applied.startsWith(version + "@");
        if (atVersion && ready.map(node -> node.path("status").asText().equals("True")).orElse(false)) {
            return new Addon(name, true, installed, object + " applied " + applied);
        }
        return new Addon(name, false, installed, object + " applying " + version + (applied.isEmpty() ? "" : " (applied " + applied + ")"));
    }

    private static Addon application(String name, String version, JsonNode application) {
        String object = "Application " + application.path("metadata").path("name").asText();
        JsonNode status = application.path("status");
        String sync = status.path("sync").path("status").asText("Unknown");
        String health = status.path("health").path("status").asText("Unknown");
        String revision = status.path("sync").path("revision").asText("");
        Optional<String> installed = revision.isEmpty() ? Optional.empty() : Optional.of(revision);
        if (sync.equals("Synced") && health.equals("Healthy") && (revision.isEmpty() || revision.equals(version))) {
            return new Addon(name, true, installed, object + " synced " + version + " and healthy");
        }
        String problem = status.path("operationState").path("message").asText("");
        if (problem.isEmpty()) {
            problem = status.path("conditions").path(0).path("message").asText("");
        }
        return new Addon(name, false, installed, object + " " + sync + " and " + health
                + (revision.isEmpty() || revision.equals(version) ? "" : " at " + revision + " (wanted " + version + ")")
                + (problem.isEmpty() ? "" : ": " + problem));
    }

    private static Optional<JsonNode> labelled(Map<String, JsonNode> objects, String addon) {
        return objects.values().stream()
                .filter(object -> object.path("metadata").path("labels").path(ADDON_LABEL).asText("").equals(addon))
                .findFirst();
    }

    private static Optional<JsonNode> condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }
}
