package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Where the profile's add-ons run: how many Clusters run which version.")
public record AddonProfileStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Clusters that get at least one add-on from this profile.") Optional<Integer> clusters,
        @Doc("The version matrix: per add-on, each version with the Clusters and environments committed at it.")
        List<AddonVersions> addons,
        @Doc("The matrix in one line, as kubectl get shows it: name=version×clusters, ...") Optional<String> summary,
        @Doc("Current conditions: Conflicting, when the profile and another give a Cluster the same add-on differently at equal priority.")
        @ListMap("type") List<Condition> conditions) {

    public AddonProfileStatus {
        observedGeneration = Values.option(observedGeneration);
        clusters = Values.option(clusters);
        addons = Values.list(addons);
        summary = Values.option(summary);
        conditions = Values.list(conditions);
    }

    @Doc("The versions of one add-on across the Clusters it is committed for.")
    public record AddonVersions(
            @Required @Doc("Add-on name.") String name,
            @Doc("Each version with its Clusters, newest first by count.") List<VersionCount> versions) {

        public AddonVersions {
            versions = Values.list(versions);
        }
    }

    @Doc("How many Clusters, in which environments, run one version.")
    public record VersionCount(
            @Required @Doc("Chart version or Git tag.") String version,
            @Required @Doc("Number of Clusters.") Integer clusters,
            @Doc("Environments of those Clusters.") List<String> environments) {

        public VersionCount {
            environments = Values.list(environments);
        }
    }
}
