package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterStatus;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** What rendering one Cluster gave: its files, or why it could not be rendered. */
public sealed interface ClusterOutcome {

    /** The cluster's files by repository path, and the add-ons they install. */
    record Rendered(SortedMap<String, String> files, List<ClusterStatus.AddonStatus> addons) implements ClusterOutcome {
        public Rendered {
            files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
            addons = List.copyOf(addons);
        }

        /** The management entry whose directory holds the cluster's Cluster API objects. */
        public ManagementEntry entry() {
            return FleetPaths.entryOf(files.keySet()).orElseThrow(() -> new IllegalStateException("a rendered cluster without management files"));
        }
    }

    /**
     * The cluster cannot be rendered as requested.
     *
     * @param reason a CamelCase condition reason
     * @param message what is wrong and how to fix it, for a person
     */
    record Failed(String reason, String message) implements ClusterOutcome {
        public Failed {
            requireNonNull(reason, "reason is null");
            requireNonNull(message, "message is null");
        }
    }
}
