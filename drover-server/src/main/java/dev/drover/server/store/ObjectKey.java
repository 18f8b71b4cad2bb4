package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

/** Identity of an object: kind, namespace (empty for cluster-scoped kinds) and name. */
public record ObjectKey(String kind, String namespace, String name) {
    public ObjectKey {
        requireNonNull(kind, "kind is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
    }
}
