package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

/**
 * One item of a list: identity, version and the JSON the API serves, as the UTF-8 bytes the database sent, so a
 * large list is streamed without decoding and encoding every object.
 */
public record ListedObject(ObjectKey key, long resourceVersion, byte[] jsonBytes) {

    public ListedObject {
        requireNonNull(key, "key is null");
        requireNonNull(jsonBytes, "jsonBytes is null");
    }

    public String json() {
        return new String(jsonBytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public String namespace() {
        return key.namespace();
    }

    public String name() {
        return key.name();
    }
}
