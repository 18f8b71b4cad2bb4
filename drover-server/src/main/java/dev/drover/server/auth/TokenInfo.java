package dev.drover.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What Drover keeps about a token: never the secret.
 *
 * @param team empty for a platform-admin token
 */
public record TokenInfo(String id, Optional<String> team, String description, Instant createdAt) {
}
