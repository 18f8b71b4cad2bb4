package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

/** One item of a list: identity, version and the JSON the API serves. */
public record ListedObject(ObjectKey key, long resourceVersion, String json) {

    public ListedObject {
        requireNonNull(key, "key is null");
        requireNonNull(json, "json is null");
    }

    public String namespace() {
        return key.namespace();
    }

    public String name() {
        return key.name();
    }
}
