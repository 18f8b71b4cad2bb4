package dev.drover.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What Drover keeps about a token: never the secret.
 *
 * @param team the team of a team token, else empty
 */
public record TokenInfo(String id, TokenScope scope, Optional<String> team, String description, Instant createdAt) {
}
