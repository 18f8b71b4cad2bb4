package dev.drover.server.reconcile;

import dev.drover.model.render.ClusterId;

/** What the fleet reconciler is asked to bring up to date: one cluster's files, the shared files, or profile statuses. */
sealed interface WorkItem {

    record ClusterFiles(ClusterId id) implements WorkItem {
    }

    /** Team directories and indexes; they are recomputed in every batch, so this item only wakes the worker. */
    record SharedFiles() implements WorkItem {
    }

    /** The AddonProfiles' statuses (version matrix and conflicts); they are refreshed in every batch, so this only wakes the worker. */
    record AddonProfiles() implements WorkItem {
    }

    /** Cluster and team costs; they are refreshed after every batch when their inputs changed, so this only wakes the worker. */
    record Costs() implements WorkItem {
    }
}
