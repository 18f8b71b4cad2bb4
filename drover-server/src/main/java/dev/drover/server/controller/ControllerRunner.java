package dev.drover.server.controller;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Controller} on a thread of its own: takes every due key of its queue as one batch (up to a limit),
 * reconciles it, retries with backoff what failed. Nothing a controller throws ends the thread.
 */
public final class ControllerRunner<K> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerRunner.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofMillis(50);

    private final Controller<K> controller;
    private final WorkQueue<K> queue;
    private final int batchLimit;
    private final Pacing pacing;
    private final Timer succeeded;
    private final Timer failed;
    private Thread worker;
    private volatile boolean closed;

    /**
     * How a controller paces itself during a burst (keys arrived while it reconciled, as in a bulk create): before the
     * next batch it pauses as long as the last batch took, but at least {@code least} and at most {@code most}. The
     * controller then leaves the API part of the CPU, and keys gather into fewer, larger batches (for the fleet: fewer
     * commits; for a whole-fleet pass: fewer passes). The pause ends early once no key arrived for 50 ms, so a change
     * after the burst waits for nothing.
     */
    public record Pacing(Duration least, Duration most) {
        public static final Pacing NONE = new Pacing(Duration.ZERO, Duration.ZERO);

        public Pacing {
            requireNonNull(least, "least is null");
            requireNonNull(most, "most is null");
        }

        long pauseNanos(long tookNanos) {
            return Math.min(Math.max(tookNanos, least.toNanos()), most.toNanos());
        }
    }

    /**
     * @param batchLimit the most keys one batch takes
     * @param metrics where the reconcile durations (drover_reconcile_seconds by controller and outcome) and the queue
     *     depth (drover_controller_queue_depth) go
     */
    public ControllerRunner(Controller<K> controller, WorkQueue<K> queue, int batchLimit, Pacing pacing, MeterRegistry metrics) {
        this.controller = requireNonNull(controller, "controller is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.batchLimit = batchLimit;
        this.pacing = requireNonNull(pacing, "pacing is null");
        this.succeeded = reconcileTimer(metrics, "succeeded");
        this.failed = reconcileTimer(metrics, "failed");
        Gauge.builder("drover.controller.queue.depth", queue, WorkQueue::depth).tag("controller", controller.name())
                .description("Keys waiting in the controller's work queue").register(metrics);
    }

    private Timer reconcileTimer(MeterRegistry metrics, String outcome) {
        return Timer.builder("drover.reconcile").tag("controller", controller.name()).tag("outcome", outcome)
                .description("Batches a controller reconciled, and how long they took").register(metrics);
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
            long started = System.nanoTime();
            long additionsBefore = queue.additions();
            long additionsDuring = additionsBefore;
            try {
                Set<K> retries = controller.reconcile(batch);
                additionsDuring = queue.additions();
                (retries.isEmpty() ? succeeded : failed).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                for (K key : batch) {
                    if (retries.contains(key)) {
                        queue.addWithBackoff(key);
                    } else {
                        queue.forget(key);
                    }
                }
            } catch (RuntimeException bug) {
                failed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                LOG.error("{} controller: reconciling {} keys failed; retrying with backoff", controller.name(), batch.size(),
                        bug);
                batch.forEach(queue::addWithBackoff);
            } finally {
                queue.done(batch);
            }
            if (additionsDuring > additionsBefore) {
                pauseWhileKeysArrive(System.nanoTime() + pacing.pauseNanos(System.nanoTime() - started));
            }
        }
    }

    /** Pauses until the deadline, or until no key was added for {@link #QUIET}: the burst is over, take the rest. */
    private void pauseWhileKeysArrive(long deadline) {
        long seen = queue.additions();
        while (!closed && System.nanoTime() < deadline) {
            try {
                Thread.sleep(QUIET);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = queue.additions();
            if (now == seen) {
                return;
            }
            seen = now;
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.shutDown();
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
