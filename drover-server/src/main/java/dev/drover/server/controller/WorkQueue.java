package dev.drover.server.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A keyed work queue in the client-go shape: a key is queued at most once; a key added while it is being
 * processed is queued again when processing ends; failures back off exponentially up to a cap; work can be
 * requeued after a delay. Keys are handed out in batches of everything that is due.
 */
public final class WorkQueue<K> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Queued keys and the nano time they are due at. */
    private final Map<K, Long> dueAt = new HashMap<>();
    private final Set<K> processing = new HashSet<>();
    /** Keys added while processing, with when they are due. */
    private final Map<K, Long> dirty = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final LongSupplier nanoClock;
    private boolean shutDown;
    private long additions;

    public WorkQueue(Duration baseDelay, Duration maxDelay) {
        this(baseDelay, maxDelay, System::nanoTime);
    }

    WorkQueue(Duration baseDelay, Duration maxDelay, LongSupplier nanoClock) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.nanoClock = nanoClock;
    }

    public void add(K key) {
        addAfter(key, Duration.ZERO);
    }

    /** Keys waiting: queued (due or not yet) and added again while being processed. */
    public int depth() {
        lock.lock();
        try {
            return dueAt.size() + dirty.size();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the keys at once, so that a worker taking a batch gets all of them or none. */
    public void addAll(java.util.Collection<K> keys) {
        lock.lock();
        try {
            keys.forEach(this::add);
        } finally {
            lock.unlock();
        }
    }

    /** Queues the key to be due after the delay; an earlier due time already queued wins. */
    public void addAfter(K key, Duration delay) {
        lock.lock();
        try {
            long due = nanoClock.getAsLong() + delay.toNanos();
            Map<K, Long> target = processing.contains(key) ? dirty : dueAt;
            target.merge(key, due, Math::min);
            additions++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the key again after its next backoff delay: base, 2 x base, 4 x base ... up to the cap. */
    public Duration addWithBackoff(K key) {
        Duration delay;
        lock.lock();
        try {
            int failed = failures.merge(key, 1, Integer::sum);
            delay = backoff(failed);
        } finally {
            lock.unlock();
        }
        addAfter(key, delay);
        return delay;
    }

    Duration backoff(int failed) {
        long factor = 1L << Math.min(failed - 1, 30);
        Duration delay = baseDelay.multipliedBy(factor);
        return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
    }

    /** Clears the key's failure count after it was processed successfully. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least one key is due and takes every due key (at most {@code limit}), marking them as
     * being processed. Empty when the timeout passed or the queue was shut down.
     */
    public List<K> take(int limit, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long deadline = nanoClock.getAsLong() + timeout.toNanos();
            while (!shutDown) {
                long now = nanoClock.getAsLong();
                List<K> due = new ArrayList<>();
                long nextDue = Long.MAX_VALUE;
                for (Map.Entry<K, Long> entry : dueAt.entrySet()) {
                    if (entry.getValue() <= now) {
                        if (due.size() < limit) {
                            due.add(entry.getKey());
                        }
                    } else {
                        nextDue = Math.min(nextDue, entry.getValue());
                    }
                }
                if (!due.isEmpty()) {
                    due.forEach(dueAt::remove);
                    processing.addAll(due);
                    return due;
                }
                long wait = Math.min(deadline, nextDue) - now;
                if (deadline - now <= 0) {
                    return List.of();
                }
                changed.awaitNanos(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
            }
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    /** Ends processing of the keys; those added meanwhile are queued again. */
    public void done(List<K> keys) {
        lock.lock();
        try {
            for (K key : keys) {
                processing.remove(key);
                Long due = dirty.remove(key);
                if (due != null) {
                    dueAt.merge(key, due, Math::min);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many times a key was added so far; it moves while a burst of work is arriving. */
    public long additions() {
        lock.lock();
        try {
            return additions;
        } finally {
            lock.unlock();
        }
    }

    public void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
