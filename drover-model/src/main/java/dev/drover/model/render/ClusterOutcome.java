package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterStatus;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** What rendering one Cluster gave: its files, or why it could not be rendered. */
public sealed interface ClusterOutcome {

    /**
     * The cluster's files by repository path, the add-ons and Applications they hold.
     *
     * @param kept directories whose committed files stay as they are: those of Applications that could not be rendered
     */
    record Rendered(SortedMap<String, String> files, List<ClusterStatus.AddonStatus> addons,
                    List<ClusterStatus.CommittedApplication> applications, List<String> kept) implements ClusterOutcome {
        public Rendered {
            files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
            addons = List.copyOf(addons);
            applications = List.copyOf(applications);
            kept = List.copyOf(kept);
        }

        /** Whether a committed path stays although the render did not write it. */
        public boolean keeps(String path) {
            return kept.stream().anyMatch(directory -> path.startsWith(directory + "/"));
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
