package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of a ClusterFlavor, written by Drover's controllers through the status subresource.")
public record ClusterFlavorStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @ListMap("name") @Doc("What the management cluster and the cloud must provide for clusters of this flavor to come up, "
                + "beyond what Drover renders: providers and their feature gates, credentials, IAM roles, images, Secrets.")
        List<Prerequisite> prerequisites,
        @ListMap("type") @Doc("Current conditions.") List<Condition> conditions) {

    public ClusterFlavorStatus {
        observedGeneration = Values.option(observedGeneration);
        prerequisites = Values.list(prerequisites);
        conditions = Values.list(conditions);
    }

    @Doc("One thing clusters of the flavor need that Drover does not render.")
    public record Prerequisite(
            @Required @Doc("Short stable name, for example capa or secret/vsphere-cloud-secret.") String name,
            @Required @Doc("What is needed and where, for a person.") String description) {
    }
}
