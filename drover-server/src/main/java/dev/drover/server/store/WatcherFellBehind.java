package dev.drover.server.store;

/**
 * A watcher fell so far behind the live changes that its queue overflowed: it must resume from the last resource
 * version it saw (reading the rest from the change feed) or list again. Not a bug, so it has a type of its own.
 */
public final class WatcherFellBehind extends RuntimeException {

    WatcherFellBehind(int capacity) {
        super("watcher fell more than " + capacity + " changes behind");
    }
}
