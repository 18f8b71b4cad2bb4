package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state, written by Drover's controllers through the status subresource.")
public record ConditionsStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @ListMap("type") @Doc("Current conditions.") List<Condition> conditions) {

    public ConditionsStatus {
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
    }
}
