package dev.drover.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.render.ClusterId;
import dev.drover.model.render.FleetPaths;
import dev.drover.model.resource.ClusterStatus;
import dev.drover.model.resource.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides a Cluster's status from a batch report: phase, git location, committed add-ons and the Rendered, Committed
 * and Ready conditions.
 */
final class ClusterStatuses {

    private ClusterStatuses() {
    }

    /**
     * The new status; conditions whose status did not change keep their lastTransitionTime.
     *
     * @param previous the current status object (or a missing node)
     */
    static ObjectNode decide(ClusterId id, ClusterReport report, String branch, JsonNode previous, String now) {
        Map<String, ObjectNode> conditions = new LinkedHashMap<>();
        long generation = report.generation();
        if (report.renderFailure().isPresent()) {
            var failure = report.renderFailure().get();
            conditions.put("Rendered", condition("Rendered", "False", generation, failure.reason(), failure.message()));
        } else {
            conditions.put("Rendered", condition("Rendered", "True", generation, "Rendered",
                    "the manifests of generation " + generation + " are rendered"));
        }
        String shortCommit = report.commit().map(commit -> commit.substring(0, Math.min(12, commit.length()))).orElse("");
        if (report.gitFailure().isPresent()) {
            var failure = report.gitFailure().get();
            conditions.put("Committed", condition("Committed", "False", generation, failure.reason(), failure.message()));
        } else if (report.renderFailure().isPresent()) {
            conditions.put("Committed", condition("Committed", "False", generation, "RenderFailed", report.commit().isPresent()
                    ? "the last good manifests (commit " + shortCommit + ") stay in the fleet repository until the cluster renders again"
                    : "nothing is committed until the cluster renders; see the Rendered condition"));
        } else {
            conditions.put("Committed", condition("Committed", "True", generation, "Committed", "commit " + shortCommit
                    + " on branch " + branch + " holds the manifests of generation " + generation));
        }
        boolean committed = report.commit().isPresent();
        conditions.put("Ready", committed
                ? condition("Ready", "False", generation, ClusterStatus.READINESS_UNKNOWN, "the manifests are in the fleet repository; "
                        + "Flux and Cluster API on the management cluster build the cluster from " + FleetPaths.managementClusterDirectory(id)
                        + ". Drover is not connected to the management cluster, so it does not see their progress")
                : condition("Ready", "False", generation, "NotCommitted", "waiting for the manifests to be committed; "
                        + "see the Committed condition"));
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("phase", committed ? "Provisioning" : report.renderFailure().isPresent() ? "Failed" : "Pending");
        status.put("observedGeneration", generation);
        ArrayNode list = status.putArray("conditions");
        for (ObjectNode condition : conditions.values()) {
            list.add(withTransitionTime(condition, previous.path("conditions"), now));
        }
        // The cost and its condition belong to the cost writer, which writes them only when they change.
        for (JsonNode condition : previous.path("conditions")) {
            if (condition.path("type").asText().equals("CostKnown")) {
                list.add(condition);
            }
        }
        if (committed) {
            ObjectNode git = status.putObject("git");
            git.put("commit", report.commit().get());
            git.put("branch", branch);
            git.put("path", FleetPaths.managementClusterDirectory(id));
            git.put("workloadPath", FleetPaths.workloadClusterDirectory(id));
            if (!report.addons().isEmpty()) {
                status.set("addons", Json.MAPPER.valueToTree(report.addons()));
            }
        }
        if (previous.has("cost")) {
            status.set("cost", previous.get("cost"));
        }
        return status;
    }

    /** The status a Cluster shows while its files are being removed before it goes away. */
    static ObjectNode deleting(JsonNode previous) {
        ObjectNode status = previous.isObject() ? ((ObjectNode) previous).deepCopy() : Json.MAPPER.createObjectNode();
        status.put("phase", "Deleting");
        return status;
    }

    /** Whether two statuses say the same, apart from transition times. */
    static boolean same(JsonNode left, JsonNode right) {
        return withoutTimes(left).equals(withoutTimes(right));
    }

    private static JsonNode withoutTimes(JsonNode status) {
        if (!status.isObject()) {
            return Json.MAPPER.createObjectNode();
        }
        ObjectNode copy = ((ObjectNode) status).deepCopy();
        copy.path("conditions").forEach(condition -> ((ObjectNode) condition).remove("lastTransitionTime"));
        return copy;
    }

    static ObjectNode condition(String type, String status, long generation, String reason, String message) {
        ObjectNode condition = Json.MAPPER.createObjectNode();
        condition.put("type", type);
        condition.put("status", status);
        condition.put("observedGeneration", generation);
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    static ObjectNode withTransitionTime(ObjectNode condition, JsonNode previousConditions, String now) {
        String time = now;
        for (JsonNode previous : previousConditions) {
            if (previous.path("type").asText().equals(condition.path("type").asText())
                    && previous.path("status").asText().equals(condition.path("status").asText())) {
                time = previous.path("lastTransitionTime").asText(now);
            }
        }
        ObjectNode ordered = Json.MAPPER.createObjectNode();
        ordered.put("type", condition.path("type").asText());
        ordered.put("status", condition.path("status").asText());
        ordered.set("observedGeneration", condition.get("observedGeneration"));
        ordered.put("lastTransitionTime", time);
        ordered.set("reason", condition.get("reason"));
        ordered.set("message", condition.get("message"));
        return ordered;
    }
}
