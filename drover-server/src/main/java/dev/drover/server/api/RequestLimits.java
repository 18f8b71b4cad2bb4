package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.server.auth.Principal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one token may take of the server: a number of open watches, and for team tokens a request rate. An admin's
 * automation and Drover's own controllers are not rate limited; a team's script gone wrong is, before it slows every
 * other team down. Refusals are 429 with {@code Retry-After}, which client-go and kubectl wait for and retry.
 */
final class RequestLimits {

    /** An open watch's place in its token's count, given back when the watch ends. */
    interface WatchSlot extends AutoCloseable {
        @Override
        void close();
    }

    private static final int MAX_TRACKED_TOKENS = 100_000;

    private final ApiServer.Limits settings;
    private final Clock clock;
    private final Map<String, AtomicInteger> openWatches = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    RequestLimits(ApiServer.Limits settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Counts a request against the principal's rate.
     *
     * @return the seconds to wait before retrying when the request is over the rate, else 0
     */
    long admit(Principal principal) {
        if (!(principal instanceof Principal.TeamMember) || settings.teamRequestsPerSecond() <= 0) {
            return 0;
        }
        if (buckets.size() > MAX_TRACKED_TOKENS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(principal.tokenId(), id -> new TokenBucket(settings.teamRequestsPerSecond(),
                clock.millis())).take(clock.millis());
    }

    /** @throws ApiException TooManyRequests when the token already holds its number of open watches */
    WatchSlot openWatch(Principal principal) {
        AtomicInteger open = openWatches.computeIfAbsent(principal.tokenId(), id -> new AtomicInteger());
        if (open.incrementAndGet() > settings.watchesPerToken()) {
            open.decrementAndGet();
            throw new ApiException(ApiException.Reason.TOO_MANY_REQUESTS, "too many open watches: " + principal.describe()
                    + " already holds " + settings.watchesPerToken() + " (--max-watches-per-token); close some, or share "
                    + "one watch of the whole kind between them");
        }
        return () -> {
            if (open.decrementAndGet() == 0) {
                openWatches.remove(principal.tokenId(), open);
            }
        };
    }

    /** Requests per second with bursts of twice as many, refilled continuously. */
    private static final class TokenBucket {
        private final double perMillisecond;
        private final double capacity;
        private double available;
        private long refilledAt;

        TokenBucket(int perSecond, long now) {
            this.perMillisecond = perSecond / 1000.0;
            this.capacity = 2.0 * perSecond;
            this.available = capacity;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            available = Math.min(capacity, available + Math.max(0, now - refilledAt) * perMillisecond);
            refilledAt = now;
            if (available >= 1) {
                available -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - available) / perMillisecond / 1000));
        }
    }
}
