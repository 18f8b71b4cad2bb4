package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.server.auth.Principal;
import dev.drover.server.auth.TokenHolder;
import dev.drover.server.auth.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer-token authentication with a short-lived cache, so a busy client does not cost a query per request. */
final class Authentication {

    private static final Duration CACHE_TIME = Duration.ofSeconds(30);
    private static final int CACHE_LIMIT = 10_000;

    private record Cached(Principal principal, Instant expires) {
    }

    private final TokenStore tokens;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    Authentication(TokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Forgets cached principals, so a revoked token stops working at once on this server. */
    void forgetCached() {
        cache.clear();
    }

    /** @throws ApiException Unauthorized when the header carries no token Drover issued */
    Principal authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(ApiException.Reason.UNAUTHORIZED, "Unauthorized: the request has no bearer token; "
                    + "use the kubeconfig Drover wrote (.drover/kubeconfig) or a token from `drover token create`");
        }
        String secret = authorization.substring(7).trim();
        Instant now = clock.instant();
        Cached cached = cache.get(secret);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.principal();
        }
        Optional<TokenHolder> holder = tokens.authenticate(secret);
        if (holder.isEmpty()) {
            throw new ApiException(ApiException.Reason.UNAUTHORIZED, "Unauthorized: the bearer token is not one Drover "
                    + "issued; ask a platform admin for a token (`drover token create --team TEAM`)");
        }
        Optional<Principal> principal = holder.get().principal();
        if (principal.isEmpty()) {
            throw ApiException.forbidden("token " + holder.get().tokenId() + " is a " + holder.get().scope().wireName()
                    + " token: it may only clone and fetch the fleet repository, not use the API");
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(secret, new Cached(principal.get(), now.plus(CACHE_TIME)));
        return principal.get();
    }
}
