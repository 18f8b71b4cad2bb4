package dev.drover.model.resource;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Optional;

@Doc("One aspect of the object's state, in the Kubernetes condition shape.")
public record Condition(
        @Required @Doc("Type of the condition, for example Ready.") String type,
        @Required @Doc("True, False or Unknown.") ConditionStatus status,
        @Doc("Generation of the object that the condition was set for.") Optional<Long> observedGeneration,
        @Doc("When the status last changed (RFC 3339).") Optional<String> lastTransitionTime,
        @Doc("Machine-readable reason in CamelCase.") Optional<String> reason,
        @Doc("What happened and what to do, for a person.") Optional<String> message) {

    public Condition {
        observedGeneration = Values.option(observedGeneration);
        lastTransitionTime = Values.option(lastTransitionTime);
        reason = Values.option(reason);
        message = Values.option(message);
    }

    public enum ConditionStatus {
        @JsonProperty("True") TRUE,
        @JsonProperty("False") FALSE,
        @JsonProperty("Unknown") UNKNOWN
    }
}
