package dev.drover.server.integration;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.store.ObjectKey;
import java.util.List;
import java.util.Map;

/** An integration's own condition on Drover Clusters: each integration controller owns one. */
record ClusterCondition(String type) {

    StatusWriter.Update of(CachedObject<ClusterSpec> cluster, Condition.ConditionStatus status, String reason, String message) {
        return new StatusWriter.Update(cluster.key(), Map.of(), List.of(Condition.of(type, status, cluster.generation(), reason, message)));
    }

    /** The Drover Cluster that objects of the management cluster labelled with the cluster belong to. */
    static ObjectKey key(ClusterId id) {
        return new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name());
    }
}
