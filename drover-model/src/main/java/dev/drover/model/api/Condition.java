package dev.drover.model.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
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
        requireNonNull(type, "type is null");
        requireNonNull(status, "status is null");
        observedGeneration = Values.option(observedGeneration);
        lastTransitionTime = Values.option(lastTransitionTime);
        reason = Values.option(reason);
        message = Values.option(message);
    }

    /** A condition as a controller decides it; the status writer sets its lastTransitionTime. */
    public static Condition of(String type, ConditionStatus status, long generation, String reason, String message) {
        return new Condition(type, status, Optional.of(generation), Optional.empty(), Optional.of(reason), Optional.of(message));
    }

    /** True or False. */
    public static Condition of(String type, boolean status, long generation, String reason, String message) {
        return of(type, status ? ConditionStatus.TRUE : ConditionStatus.FALSE, generation, reason, message);
    }

    public enum ConditionStatus {
        @JsonProperty("True") TRUE,
        @JsonProperty("False") FALSE,
        @JsonProperty("Unknown") UNKNOWN;

        /** The value as the API writes it: True, False or Unknown. */
        public String wireName() {
            return switch (this) {
                case TRUE -> "True";
                case FALSE -> "False";
                case UNKNOWN -> "Unknown";
            };
        }
    }
}
