package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

import dev.drover.model.selector.LabelSelector;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What to list: a kind, optionally one namespace, filters, a page size and where the previous page ended.
 *
 * @param keys filter over identities, applied first
 * @param labels label selector; labels are only read from the store when it selects something
 * @param limit most items to return; 0 for all
 */
public record ListQuery(String kind, Optional<String> namespace, Predicate<ObjectKey> keys, LabelSelector labels, int limit,
                        Optional<ObjectKey> after) {

    public ListQuery {
        requireNonNull(kind, "kind is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(keys, "keys is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(after, "after is null");
    }

    public static ListQuery all(String kind) {
        return new ListQuery(kind, Optional.empty(), key -> true, LabelSelector.EVERYTHING, 0, Optional.empty());
    }
}
