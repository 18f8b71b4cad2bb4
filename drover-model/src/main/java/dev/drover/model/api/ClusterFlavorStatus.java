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
        @ListMap("version") @Doc("Each allowed Kubernetes version's classification now and its next change, from "
                + "spec.kubernetesVersions.lifecycle; rewritten when a stage starts.") List<VersionStatus> versions,
        @ListMap("type") @Doc("Current conditions.") List<Condition> conditions) {

    public ClusterFlavorStatus {
        observedGeneration = Values.option(observedGeneration);
        prerequisites = Values.list(prerequisites);
        versions = Values.list(versions);
        conditions = Values.list(conditions);
    }

    @Doc("One thing clusters of the flavor need that Drover does not render.")
    public record Prerequisite(
            @Required @Doc("Short stable name, for example capa or secret/vsphere-cloud-secret.") String name,
            @Required @Doc("What is needed and where, for a person.") String description) {
    }

    @Doc("Where an allowed version is in its lifecycle.")
    public record VersionStatus(
            @Required @Doc("The version, for example 1.33.5.") String version,
            @Required @Doc("preview, supported, deprecated or expired.") ClusterFlavorSpec.VersionClassification classification,
            @Doc("Since when (RFC 3339); unset for a version without a lifecycle.") Optional<String> since,
            @Doc("The next classification.") Optional<ClusterFlavorSpec.VersionClassification> nextClassification,
            @Doc("When it starts (RFC 3339).") Optional<String> nextAt) {

        public VersionStatus {
            since = Values.option(since);
            nextClassification = Values.option(nextClassification);
            nextAt = Values.option(nextAt);
        }
    }
}
