package dev.drover.server.auth;

import java.util.Optional;

/**
 * Who presented a token Drover issued.
 *
 * @param team the team of a team token, else empty
 */
public record TokenHolder(String tokenId, TokenScope scope, Optional<String> team) {

    /** Whom the holder acts as on the API; a fleet reader acts as no one there. */
    public Optional<Principal> principal() {
        return switch (scope) {
            case PLATFORM_ADMIN -> Optional.of(new Principal.PlatformAdmin(tokenId));
            case TEAM -> Optional.of(new Principal.TeamMember(tokenId, team.orElseThrow()));
            case FLEET_READER -> Optional.empty();
        };
    }
}
