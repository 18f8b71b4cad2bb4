package dev.drover.server.reconcile;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterStatus;
import java.util.List;
import java.util.Optional;

/**
 * What one batch did for one cluster, from which its status is written.
 *
 * @param generation the generation that was rendered
 * @param renderFailure reason and message when the cluster could not be rendered
 * @param commit the commit holding the cluster's current files, if they are committed
 * @param gitFailure why the files are not (yet) in the repository or not pushed
 * @param addons the add-ons in the cluster's committed files
 * @param applications the Applications in them
 */
record ClusterReport(long generation, Optional<Problem> renderFailure, Optional<String> commit, Optional<Problem> gitFailure,
                     List<ClusterStatus.AddonStatus> addons, List<ClusterStatus.CommittedApplication> applications) {

    record Problem(String reason, String message) {
        Problem {
            requireNonNull(reason, "reason is null");
            requireNonNull(message, "message is null");
        }
    }

    ClusterReport {
        requireNonNull(renderFailure, "renderFailure is null");
        requireNonNull(commit, "commit is null");
        requireNonNull(gitFailure, "gitFailure is null");
        addons = List.copyOf(addons);
        applications = List.copyOf(applications);
    }
}
