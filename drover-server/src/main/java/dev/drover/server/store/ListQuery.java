package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * What to list: a kind, optionally one namespace, a filter over the stored objects, a page size and where
 * the previous page ended.
 *
 * @param filter applied in order of (namespace, name); cheap filters keep large lists fast
 * @param limit most items to return; 0 for all
 */
public record ListQuery(String kind, Optional<String> namespace, Predicate<StoredObject> filter, int limit,
                        Optional<ObjectKey> after) {

    public ListQuery {
        requireNonNull(kind, "kind is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(after, "after is null");
    }

    public static ListQuery all(String kind) {
        return new ListQuery(kind, Optional.empty(), object -> true, 0, Optional.empty());
    }
}
