package dev.drover.server.store;

import java.util.List;

/**
 * What a mutation is going to read, so that a batch reads it for all its mutations in one query each. Only a
 * hint: a mutation may read more, at the cost of a query.
 */
public record ReadHints(List<ObjectKey> objects, List<UsageScope> usages) {

    public static final ReadHints NONE = new ReadHints(List.of(), List.of());

    public ReadHints {
        objects = List.copyOf(objects);
        usages = List.copyOf(usages);
    }
}
