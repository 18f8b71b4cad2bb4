package dev.drover.server.auth;

import java.util.Optional;

/**
 * A newly issued token. The secret is shown once, here; the store keeps only its hash.
 *
 * @param team empty for a platform-admin token
 */
public record IssuedToken(String id, String secret, Optional<String> team) {
}
