package dev.drover.server.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Fans committed changes out to live subscriptions, in resource-version order. */
final class WatchHub {

    /** Changes a slow watcher may fall behind by before it is cut off (it then resumes from its last version). */
    static final int QUEUE_CAPACITY = 20_000;

    private final Object lock = new Object();
    private final Map<String, Set<Subscription>> subscriptionsByKind = new ConcurrentHashMap<>();
    private long published;

    WatchHub(long revision) {
        this.published = revision;
    }

    /** The open watches, over every kind. */
    int watchers() {
        return subscriptionsByKind.values().stream().mapToInt(Set::size).sum();
    }

    void publish(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (Change change : changes) {
                Set<Subscription> subscriptions = subscriptionsByKind.get(change.object().kind());
                if (subscriptions != null) {
                    for (Subscription subscription : subscriptions) {
                        subscription.offer(change);
                    }
                }
            }
            published = changes.getLast().resourceVersion();
        }
    }

    long published() {
        synchronized (lock) {
            return published;
        }
    }

    Subscription subscribe(String kind) {
        synchronized (lock) {
            var subscription = new Subscription(kind, published);
            subscriptionsByKind.computeIfAbsent(kind, ignored -> ConcurrentHashMap.newKeySet()).add(subscription);
            return subscription;
        }
    }

    /** Live changes of one kind committed after {@link #registeredAt()}. */
    final class Subscription implements AutoCloseable {
        private final String kind;
        private final long registeredAt;
        private final BlockingQueue<Change> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private volatile boolean overflowed;

        private Subscription(String kind, long registeredAt) {
            this.kind = kind;
            this.registeredAt = registeredAt;
        }

        long registeredAt() {
            return registeredAt;
        }

        private void offer(Change change) {
            if (!queue.offer(change)) {
                overflowed = true;
            }
        }

        /** The next change, or null after the timeout; throws {@link WatcherFellBehind} once the watcher has fallen too far behind. */
        Change poll(long timeoutMillis) throws InterruptedException {
            if (overflowed && queue.isEmpty()) {
                throw new WatcherFellBehind(QUEUE_CAPACITY);
            }
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            Set<Subscription> subscriptions = subscriptionsByKind.get(kind);
            if (subscriptions != null) {
                subscriptions.remove(this);
            }
        }
    }
}
