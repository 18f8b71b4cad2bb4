package dev.drover.server.store;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The changes of one kind after a given resource version: first those already in the change feed, then live
 * ones as they are committed. No change is missed or repeated.
 */
public final class WatchStream implements AutoCloseable {

    private final Deque<Change> backlog;
    private final WatchHub.Subscription live;
    private long lastDelivered;

    WatchStream(List<Change> backlog, WatchHub.Subscription live, long fromRevision) {
        this.backlog = new ArrayDeque<>(backlog);
        this.live = live;
        this.lastDelivered = fromRevision;
    }

    /**
     * The next change, or empty when none came within the timeout.
     *
     * @throws WatcherFellBehind when the watcher fell too far behind and must resume from its last version
     */
    private static final long MAX_WAIT_MILLIS = java.time.Duration.ofDays(1).toMillis();

    public Optional<Change> next(long timeoutMillis) throws InterruptedException {
        while (!backlog.isEmpty()) {
            Change change = backlog.removeFirst();
            if (change.resourceVersion() > lastDelivered) {
                lastDelivered = change.resourceVersion();
                return Optional.of(change);
            }
        }
        // Bounded, so that no timeout overflows the deadline into the past and the wait into a busy loop.
        long deadline = System.nanoTime() + Math.min(timeoutMillis, MAX_WAIT_MILLIS) * 1_000_000;
        while (true) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            Change change = live.poll(Math.max(0, remaining));
            if (change == null) {
                return Optional.empty();
            }
            if (change.resourceVersion() > lastDelivered) {
                lastDelivered = change.resourceVersion();
                return Optional.of(change);
            }
        }
    }

    /** The newest resource version this stream has delivered or skipped past. */
    public long lastDelivered() {
        return lastDelivered;
    }

    @Override
    public void close() {
        live.close();
    }
}
