package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of a Cluster, written by Drover's controllers through the status subresource.")
public record ClusterStatus(
        @Doc("Pending, Provisioning, Ready, Deleting or Failed.") Optional<String> phase,
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @ListMap("type") @Doc("Current conditions: Rendered, Committed, Ready and CostKnown.") List<Condition> conditions,
        @Doc("Where the cluster's manifests are in the fleet repository.") Optional<GitStatus> git,
        @Doc("The add-ons in the cluster's committed manifests, with their versions and the profiles they come from.")
        List<AddonStatus> addons,
        @Doc("Estimated monthly cost, with its breakdown.") Optional<CostStatus> cost) {

    /** The Ready reason while Drover cannot see the management cluster: readiness is unknown, not bad. */
    public static final String READINESS_UNKNOWN = "WaitingForClusterAPI";

    public ClusterStatus {
        phase = Values.option(phase);
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        git = Values.option(git);
        addons = Values.list(addons);
        cost = Values.option(cost);
    }

    @Doc("One add-on of the cluster as committed.")
    public record AddonStatus(
            @Required @Doc("Add-on name.") String name,
            @Required @Doc("Chart version or Git tag.") String version,
            @Required @Doc("AddonProfile the add-on comes from.") String profile,
            @Doc("Namespace in the workload cluster.") Optional<String> namespace,
            @Doc("Chart (repository/name) or Git URL and path.") Optional<String> source) {

        public AddonStatus {
            namespace = Values.option(namespace);
            source = Values.option(source);
        }
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
