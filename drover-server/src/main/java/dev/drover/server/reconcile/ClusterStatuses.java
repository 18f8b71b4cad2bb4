package dev.drover.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.render.FleetPaths;
import dev.drover.model.render.ManagementEntry;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.store.ObjectKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the fleet reconciler's part of a Cluster's status from a batch report: observedGeneration, the git location,
 * the committed add-ons and Applications and the Rendered and Committed conditions. The phase and readiness are the management-cluster
 * observer's. Pure.
 */
final class ClusterStatuses {

    static final String RENDERED = "Rendered";
    static final String COMMITTED = "Committed";

    /** What the fleet reconciler owns of a Cluster's status. */
    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("fleet", Kinds.CLUSTER,
            Set.of("observedGeneration", "git", "addons", "applications"), Set.of(RENDERED, COMMITTED), Set.of(),
            Optional.of(Kinds.FLEET_FINALIZER));

    private ClusterStatuses() {
    }

    /** @param entry the management entry holding the cluster's files, if it has any */
    static StatusWriter.Update decide(ClusterId id, ClusterReport report, Optional<ManagementEntry> entry, String branch) {
        ObjectKey key = key(id);
        long generation = report.generation();
        Condition rendered = report.renderFailure()
                .map(failure -> Condition.of(RENDERED, false, generation, failure.reason(), failure.message()))
                .orElseGet(() -> Condition.of(RENDERED, true, generation, "Rendered",
                        "the manifests of generation " + generation + " are rendered"));
        String shortCommit = report.commit().map(commit -> commit.substring(0, Math.min(12, commit.length()))).orElse("");
        Condition committedCondition;
        if (report.gitFailure().isPresent()) {
            var failure = report.gitFailure().get();
            committedCondition = Condition.of(COMMITTED, false, generation, failure.reason(), failure.message());
        } else if (report.renderFailure().isPresent()) {
            committedCondition = Condition.of(COMMITTED, false, generation, "RenderFailed", report.commit().isPresent()
                    ? "the last good manifests (commit " + shortCommit + ") stay in the fleet repository until the cluster renders again"
                    : "nothing is committed until the cluster renders; see the Rendered condition");
        } else {
            committedCondition = Condition.of(COMMITTED, true, generation, "Committed", "commit " + shortCommit
                    + " on branch " + branch + " holds the manifests of generation " + generation);
        }
        boolean committed = report.commit().isPresent();
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("observedGeneration", Json.MAPPER.getNodeFactory().numberNode(generation));
        fields.put("git", NullNode.getInstance());
        fields.put("addons", NullNode.getInstance());
        fields.put("applications", NullNode.getInstance());
        if (committed && entry.isPresent()) {
            ObjectNode git = Json.MAPPER.createObjectNode();
            git.put("commit", report.commit().get());
            git.put("branch", branch);
            git.put("path", FleetPaths.managementClusterDirectory(id, entry.get()));
            git.put("workloadPath", FleetPaths.workloadClusterDirectory(id));
            fields.put("git", git);
            if (!report.addons().isEmpty()) {
                fields.put("addons", Json.MAPPER.valueToTree(report.addons()));
            }
            if (!report.applications().isEmpty()) {
                fields.put("applications", Json.MAPPER.valueToTree(report.applications()));
            }
        }
        return new StatusWriter.Update(key, fields, List.of(rendered, committedCondition), Map.of(),
                StatusWriter.Finalizer.ENSURE);
    }

    /** Once its files are gone, the fleet reconciler lets a deleted Cluster go. */
    static StatusWriter.Update removed(ClusterId id) {
        return new StatusWriter.Update(key(id), Map.of(), List.of(), Map.of(), StatusWriter.Finalizer.RELEASE);
    }

    private static ObjectKey key(ClusterId id) {
        return new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name());
    }
}
