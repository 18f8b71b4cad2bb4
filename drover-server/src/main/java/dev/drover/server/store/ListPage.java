package dev.drover.server.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a list, read in one snapshot.
 *
 * @param revision the store's resource version at the snapshot; a watch from it misses nothing
 * @param lastKey where the page stopped when more objects follow
 */
public record ListPage(List<ListedObject> items, long revision, Optional<ObjectKey> lastKey) {
    public ListPage {
        items = List.copyOf(items);
    }
}
