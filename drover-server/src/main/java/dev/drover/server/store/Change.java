package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One committed write, as the change feed and watchers see it.
 *
 * @param object the object after the write; for a deletion, its last state with the deletion's version
 * @param previous the object before the write, if it existed (only known to the writer, not read back)
 */
public record Change(EventType type, StoredObject object, Optional<StoredObject> previous) {

    public enum EventType { ADDED, MODIFIED, DELETED }

    public Change {
        requireNonNull(type, "type is null");
        requireNonNull(object, "object is null");
        requireNonNull(previous, "previous is null");
    }

    public long resourceVersion() {
        return object.resourceVersion();
    }
}
