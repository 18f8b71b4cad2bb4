package dev.drover.server.reconcile;

import dev.drover.model.api.ClusterId;

/** What the fleet reconciler is asked to bring up to date: one cluster's files, or the shared files. */
sealed interface WorkItem {

    record ClusterFiles(ClusterId id) implements WorkItem {
    }

    /** Team directories and indexes, which depend on which clusters have files and on the teams. */
    record SharedFiles() implements WorkItem {
    }
}
