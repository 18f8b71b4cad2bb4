package dev.drover.server.controller;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Controller} on a thread of its own: takes every due key of its queue as one batch (up to a limit),
 * reconciles it, retries with backoff what failed. Nothing a controller throws ends the thread.
 */
public final class ControllerRunner<K> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerRunner.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Controller<K> controller;
    private final WorkQueue<K> queue;
    private final int batchLimit;
    private Thread worker;
    private volatile boolean closed;

    public ControllerRunner(Controller<K> controller, WorkQueue<K> queue, int batchLimit) {
        this.controller = requireNonNull(controller, "controller is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.batchLimit = batchLimit;
    }

    public ControllerRunner<K> start() {
        worker = Thread.ofPlatform().name(controller.name() + "-controller").start(this::work);
        return this;
    }

    private void work() {
        while (!closed) {
            List<K> batch;
            try {
                batch = queue.take(batchLimit, POLL);
            } catch (InterruptedException stopped) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                Set<K> failed = controller.reconcile(batch);
                for (K key : batch) {
                    if (failed.contains(key)) {
                        queue.addWithBackoff(key);
                    } else {
                        queue.forget(key);
                    }
                }
            } catch (RuntimeException failed) {
                LOG.error("{} controller: reconciling {} keys failed; retrying with backoff", controller.name(), batch.size(),
                        failed);
                batch.forEach(queue::addWithBackoff);
            } finally {
                queue.done(batch);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.shutDown();
        if (worker != null) {
            try {
                worker.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
