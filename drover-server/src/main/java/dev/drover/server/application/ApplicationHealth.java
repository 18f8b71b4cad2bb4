package dev.drover.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.render.GitOpsNames;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether the GitOps object applying an Application in a cluster applied the committed files and reports the
 * workloads healthy, from what the management cluster has of it: a Flux Kustomization ({@code wait: true}, so Ready
 * means the workloads are ready) at a revision holding the commit, or an Argo CD Application Synced at such a revision
 * and Healthy. Pure.
 */
final class ApplicationHealth {

    /** What is known, and why, in a sentence. */
    record Observed(ApplicationDecision.Health health, String message) {
    }

    private ApplicationHealth() {
    }

    /**
     * @param commit the commit holding the cluster's files
     * @param holds whether a revision the GitOps engine reports holds that commit
     */
    static Observed of(ClusterId cluster, String application, Optional<JsonNode> kustomization, Optional<JsonNode> argoCd,
                       Optional<String> commit, Predicate<String> holds) {
        if (kustomization.isPresent()) {
            String object = "Kustomization " + GitOpsNames.fluxApplication(cluster, application);
            JsonNode status = kustomization.get().path("status");
            String applied = status.path("lastAppliedRevision").asText("");
            JsonNode ready = condition(status, "Ready");
            if (ready.path("status").asText().equals("False")) {
                return new Observed(ApplicationDecision.Health.FALSE, object + ": " + ready.path("reason").asText("") + ": "
                        + ready.path("message").asText(""));
            }
            if (ready.path("status").asText().equals("True") && holds.test(applied)) {
                return new Observed(ApplicationDecision.Health.TRUE, object + " applied " + applied + " and its workloads are ready");
            }
            return new Observed(ApplicationDecision.Health.FALSE, object + " has not applied commit "
                    + commit.map(ApplicationHealth::shortCommit).orElse("(none)") + " yet"
                    + (applied.isEmpty() ? "" : " (applied " + applied + ")"));
        }
        if (argoCd.isPresent()) {
            String object = "Argo CD Application " + GitOpsNames.argoCdApplication(cluster, application);
            JsonNode status = argoCd.get().path("status");
            String health = status.path("health").path("status").asText("");
            String sync = status.path("sync").path("status").asText("");
            String revision = status.path("sync").path("revision").asText("");
            if (health.equals("Healthy") && sync.equals("Synced") && holds.test(revision)) {
                return new Observed(ApplicationDecision.Health.TRUE, object + " is Synced at " + shortCommit(revision) + " and Healthy");
            }
            return new Observed(ApplicationDecision.Health.FALSE, object + " is " + (sync.isEmpty() ? "not synced" : sync) + " and "
                    + (health.isEmpty() ? "of unknown health" : health) + (revision.isEmpty() ? "" : " at " + shortCommit(revision)));
        }
        return new Observed(ApplicationDecision.Health.FALSE, "nothing applies it on the management cluster yet (no "
                + "Kustomization " + GitOpsNames.fluxApplication(cluster, application) + " or Argo CD Application "
                + GitOpsNames.argoCdApplication(cluster, application) + ")");
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String shortCommit(String revision) {
        String commit = revision.substring(revision.lastIndexOf(':') + 1);
        return commit.substring(0, Math.min(12, commit.length()));
    }
}
