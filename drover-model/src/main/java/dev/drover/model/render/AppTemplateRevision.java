package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.AppTemplateSpec;

/** An AppTemplate and its metadata.generation, the revision the rendered files name. */
public record AppTemplateRevision(long revision, AppTemplateSpec spec) {

    public AppTemplateRevision {
        requireNonNull(spec, "spec is null");
    }
}
