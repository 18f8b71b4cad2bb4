package dev.drover.server.reconcile;

import dev.drover.model.render.ClusterId;

/** What the fleet reconciler is asked to bring up to date: one cluster's files, or the shared files only. */
sealed interface WorkItem {

    record ClusterFiles(ClusterId id) implements WorkItem {
    }

    /** Team directories and indexes; they are recomputed in every batch, so this item only wakes the worker. */
    record SharedFiles() implements WorkItem {
    }
}
