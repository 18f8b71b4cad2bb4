package dev.drover.model.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Whether a cluster passed a campaign step's health gate. The fleet repository must have the step (the maintenance
 * controller lets it in, control plane first, pools after) in a commit after the one the step started from; then,
 * connected to the management cluster, the cluster must be Ready with every machine at the step and its add-ons ready.
 * Not connected, Drover cannot see the cluster, and the commit is the gate (the message says so).
 */
final class HealthGate {

    /** The verdict, and what it rests on or waits for. */
    record Verdict(boolean passed, String message) {
    }

    private HealthGate() {
    }

    static Verdict judge(FleetCluster cluster, String step, Optional<String> baseCommit) {
        JsonNode status = cluster.status().get();
        JsonNode applied = status.path("maintenance").path("applied");
        if (applied.isObject() && !applied.path("kubernetesVersion").asText().equals(step)) {
            return new Verdict(false, "the fleet repository does not have " + step + " yet: " + condition(status, "MaintenancePending")
                    .map(pending -> pending.path("message").asText()).orElse("the maintenance controller has not let it in"));
        }
        if (applied.path("workersVersion").isTextual()) {
            return new Verdict(false, "the node pools wait for the control plane at " + step);
        }
        String commit = status.path("git").path("commit").asText("");
        Optional<JsonNode> committed = condition(status, "Committed");
        boolean inRepository = committed.filter(condition -> condition.path("status").asText().equals("True")
                && condition.path("observedGeneration").asLong() >= cluster.generation()).isPresent()
                && !commit.isEmpty() && !baseCommit.equals(Optional.of(commit));
        if (!inRepository) {
            return new Verdict(false, "not committed to the fleet repository yet" + committed.filter(condition ->
                    !condition.path("status").asText().equals("True")).map(condition -> ": " + condition.path("message").asText())
                    .orElse(""));
        }
        Optional<JsonNode> ready = condition(status, "Ready");
        if (ready.isEmpty() || ready.get().path("reason").asText().equals("NotConnected")) {
            return new Verdict(true, step + " committed in " + commit.substring(0, Math.min(12, commit.length()))
                    + "; Drover is not connected to the management cluster, so the cluster's health is not observed");
        }
        List<String> versions = new java.util.ArrayList<>();
        status.path("observed").path("versions").forEach(version -> versions.add(version.asText()));
        if (!versions.equals(List.of("v" + step))) {
            return new Verdict(false, "the management cluster reports " + (versions.isEmpty() ? "no versions"
                    : String.join(", ", versions)) + ", not only v" + step);
        }
        if (!ready.get().path("status").asText().equals("True") || ready.get().path("observedGeneration").asLong() < cluster.generation()) {
            return new Verdict(false, "Ready is " + ready.get().path("status").asText() + ": " + ready.get().path("message").asText());
        }
        Optional<JsonNode> addons = condition(status, "AddonsReady").filter(condition -> condition.path("status").asText().equals("False"));
        if (addons.isPresent()) {
            return new Verdict(false, "AddonsReady is False: " + addons.get().path("message").asText());
        }
        return new Verdict(true, "Ready at v" + step + " with its add-ons");
    }

    /**
     * Whether a cluster that passed its gate has turned unhealthy since: connected, its Ready condition is False. An
     * Unknown one (the management cluster does not answer) is no verdict.
     */
    static Optional<String> turnedUnhealthy(FleetCluster cluster) {
        return condition(cluster.status().get(), "Ready").filter(ready -> ready.path("status").asText().equals("False"))
                .map(ready -> "Ready turned False while its stage baked: " + ready.path("message").asText());
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
