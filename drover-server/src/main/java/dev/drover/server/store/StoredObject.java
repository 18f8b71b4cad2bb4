package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One object as stored: its identity, version, labels and the JSON the API serves.
 *
 * @param namespace empty for cluster-scoped kinds
 * @param attributes numeric facts admission aggregates without parsing the body
 * @param json the object as JSON, with {@code metadata.resourceVersion} inside
 */
public record StoredObject(String kind, String namespace, String name, long resourceVersion,
                           Map<String, String> labels, Map<String, Long> attributes, String json) {

    public StoredObject {
        requireNonNull(kind, "kind is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        labels = Map.copyOf(labels);
        attributes = Map.copyOf(attributes);
        requireNonNull(json, "json is null");
    }

    public ObjectKey key() {
        return new ObjectKey(kind, namespace, name);
    }
}
