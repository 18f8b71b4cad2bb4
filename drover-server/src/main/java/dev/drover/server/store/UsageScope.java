package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

/** The objects of one kind in one namespace, summed over one numeric attribute (for quota checks). */
public record UsageScope(String kind, String namespace, String attribute) {
    public UsageScope {
        requireNonNull(kind, "kind is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(attribute, "attribute is null");
    }
}
