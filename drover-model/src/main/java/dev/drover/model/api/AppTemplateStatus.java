package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Values;
import java.util.Optional;

@Doc("Observed state of an AppTemplate.")
public record AppTemplateStatus(
        @Doc("Applications built to the template.") Optional<Long> applications,
        @Doc("Applications whose target clusters' files are all at the template's current revision.")
        Optional<Long> current) {

    public AppTemplateStatus {
        applications = Values.option(applications);
        current = Values.option(current);
    }
}
