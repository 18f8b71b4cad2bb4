package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.server.auth.Principal;
import dev.drover.server.auth.OidcVerifier;
import dev.drover.server.auth.TokenHolder;
import dev.drover.server.auth.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer-token authentication: Drover's own tokens, and OIDC ID tokens of company users when an issuer is configured,
 * with a short-lived cache (never beyond an ID token's expiry), so a busy client does not cost a query per request.
 */
final class Authentication {

    private static final Duration CACHE_TIME = Duration.ofSeconds(30);
    private static final int CACHE_LIMIT = 10_000;

    private record Cached(Principal principal, Instant expires) {
    }

    private final TokenStore tokens;
    private final Optional<OidcVerifier> oidc;
    private final Function<List<String>, SortedSet<String>> teamsOfGroups;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** @param teamsOfGroups the Teams whose spec.groups hold any of the given identity-provider groups */
    Authentication(TokenStore tokens, Optional<OidcVerifier> oidc, Function<List<String>, SortedSet<String>> teamsOfGroups,
                   Clock clock) {
        this.tokens = tokens;
        this.oidc = oidc;
        this.teamsOfGroups = teamsOfGroups;
        this.clock = clock;
    }

    /** Forgets cached principals, so a revoked token stops working at once on this server. */
    void forgetCached() {
        cache.clear();
    }

    /** @throws ApiException Unauthorized when the header carries no token Drover issued */
    Principal authenticate(String authorization) {
        return authenticate(authorization, false).orElseThrow();
    }

    /**
     * Who scrapes {@code /metrics}: as {@link #authenticate}, and a fleet-reader token is let in too (as no one), since a
     * monitoring system holds a read-only machine token as a GitOps engine does.
     */
    Optional<Principal> authenticateScrape(String authorization) {
        return authenticate(authorization, true);
    }

    private Optional<Principal> authenticate(String authorization, boolean fleetReaderLetIn) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(ApiException.Reason.UNAUTHORIZED, "Unauthorized: the request has no bearer token; "
                    + "use the kubeconfig Drover wrote (.drover/kubeconfig) or a token from `drover token create`");
        }
        String secret = authorization.substring(7).trim();
        Instant now = clock.instant();
        Cached cached = cache.get(secret);
        if (cached != null && cached.expires().isAfter(now)) {
            return Optional.of(cached.principal());
        }
        if (oidc.isPresent() && OidcVerifier.looksLikeJwt(secret)) {
            OidcVerifier.Identity identity = oidc.get().verify(secret);
            Principal user = companyUser(identity);
            Instant expires = now.plus(CACHE_TIME);
            remember(secret, user, identity.expires().isBefore(expires) ? identity.expires() : expires);
            return Optional.of(user);
        }
        Optional<TokenHolder> holder = tokens.authenticate(secret);
        if (holder.isEmpty()) {
            throw new ApiException(ApiException.Reason.UNAUTHORIZED, "Unauthorized: the bearer token is not one Drover "
                    + "issued; ask a platform admin for a token (`drover token create --team TEAM`)");
        }
        Optional<Principal> principal = holder.get().principal();
        if (principal.isEmpty()) {
            if (fleetReaderLetIn) {
                return principal;
            }
            throw ApiException.forbidden("token " + holder.get().tokenId() + " is a " + holder.get().scope().wireName()
                    + " token: it may only clone and fetch the fleet repository, not use the API");
        }
        remember(secret, principal.get(), now.plus(CACHE_TIME));
        return principal;
    }

    private void remember(String secret, Principal principal, Instant expires) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(secret, new Cached(principal, expires));
    }

    /**
     * A company user acts for the Teams that list one of their groups, or as a platform admin when in the admin group.
     *
     * @throws ApiException Forbidden when no Team lists any of the user's groups
     */
    private Principal companyUser(OidcVerifier.Identity identity) {
        String id = "oidc:" + identity.username();
        Optional<String> adminGroup = oidc.orElseThrow().settings().adminGroup();
        if (adminGroup.isPresent() && identity.groups().contains(adminGroup.get())) {
            return new Principal.PlatformAdmin(id);
        }
        SortedSet<String> teams = teamsOfGroups.apply(identity.groups());
        if (teams.isEmpty()) {
            throw ApiException.forbidden("user " + identity.username() + " is in no team: no Team lists any of the groups "
                    + (identity.groups().isEmpty() ? "(the ID token names none)" : String.join(", ", identity.groups()))
                    + " in spec.groups; ask a platform admin to add your group to your Team");
        }
        return new Principal.TeamMember(id, teams, identity.groups());
    }
}
