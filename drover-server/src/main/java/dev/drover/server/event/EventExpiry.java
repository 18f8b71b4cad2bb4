package dev.drover.server.event;

import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoreFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes Events older than the retention, every minute (or more often for a short retention). */
public final class EventExpiry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventExpiry.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-expiry");
        thread.setDaemon(true);
        return thread;
    });

    private EventExpiry() {
    }

    public static EventExpiry start(ResourceStore store, Duration retention, Clock clock) {
        var expiry = new EventExpiry();
        long period = Math.max(1_000, Math.min(Duration.ofMinutes(1).toMillis(), retention.toMillis() / 4));
        expiry.scheduler.scheduleWithFixedDelay(() -> {
            try {
                int deleted = EventLog.expire(store, retention, clock.instant());
                if (deleted > 0) {
                    LOG.debug("deleted {} events older than {}", deleted, retention);
                }
            } catch (StoreFailure unavailable) {
                LOG.warn("expiring events failed, retrying later: {}", unavailable.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return expiry;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
