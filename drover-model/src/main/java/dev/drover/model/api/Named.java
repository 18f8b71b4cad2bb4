package dev.drover.model.api;

import static java.util.Objects.requireNonNull;

/** The spec of a stored object together with its name. */
public record Named<S>(String name, S spec) {
    public Named {
        requireNonNull(name, "name is null");
        requireNonNull(spec, "spec is null");
    }
}
