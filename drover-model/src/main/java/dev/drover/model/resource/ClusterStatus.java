package dev.drover.model.resource;

import java.util.List;
import java.util.Optional;

@Doc("Observed state of a Cluster, written by Drover's controllers through the status subresource.")
public record ClusterStatus(
        @Doc("Pending, Provisioning, Ready, Deleting or Failed.") Optional<String> phase,
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Current conditions: Rendered, Committed and Ready.") List<Condition> conditions,
        @Doc("Where the cluster's manifests are in the fleet repository.") Optional<GitStatus> git) {

    public ClusterStatus {
        phase = Values.option(phase);
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        git = Values.option(git);
    }

    @Doc("The fleet repository commit that holds the cluster's manifests as of observedGeneration.")
    public record GitStatus(
            @Doc("Commit id (SHA-1) of the last commit that wrote the cluster's files.") Optional<String> commit,
            @Doc("Branch of the fleet repository.") Optional<String> branch,
            @Doc("Directory of the cluster's Cluster API objects on the management cluster.") Optional<String> path,
            @Doc("Directory applied inside the workload cluster.") Optional<String> workloadPath) {

        public GitStatus {
            commit = Values.option(commit);
            branch = Values.option(branch);
            path = Values.option(path);
            workloadPath = Values.option(workloadPath);
        }
    }
}
