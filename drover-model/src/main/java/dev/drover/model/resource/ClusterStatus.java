package dev.drover.model.resource;

import java.util.List;
import java.util.Optional;

@Doc("Observed state of a Cluster, written by Drover's controllers through the status subresource.")
public record ClusterStatus(
        @Doc("Pending, Provisioning, Ready, Deleting or Failed.") Optional<String> phase,
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Current conditions.") List<Condition> conditions) {

    public ClusterStatus {
        phase = Values.option(phase);
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
    }
}
