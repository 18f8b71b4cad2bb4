package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of an Integration, written by Drover's integration controller.")
public record IntegrationStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Ready: whether the last delivery succeeded (False with DeliveryFailing and the error).")
        @ListMap("type") List<Condition> conditions,
        @Doc("Events delivered (2xx).") Optional<Long> delivered,
        @Doc("Events given up after every attempt failed, or after the hold on a Machine ran out.") Optional<Long> failed,
        @Doc("Events waiting to be delivered or retried.") Optional<Long> pending,
        @Doc("delivered/failed/pending, as the Deliveries column shows it.") Optional<String> summary,
        @Doc("The latest failures, newest first (at most five).") List<Failure> lastErrors,
        @Doc("Machines whose deletion waits for this system, as team/cluster/machine.") List<String> machinesWaiting) {

    public IntegrationStatus {
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        delivered = Values.option(delivered);
        failed = Values.option(failed);
        pending = Values.option(pending);
        summary = Values.option(summary);
        lastErrors = Values.list(lastErrors);
        machinesWaiting = Values.list(machinesWaiting);
    }

    @Doc("One failed attempt.")
    public record Failure(@Required @Doc("When (RFC 3339).") String at, @Required @Doc("The event.") String event,
                          @Required @Doc("The cluster or machine.") String subject, @Required @Doc("What went wrong.") String message) {
    }
}
