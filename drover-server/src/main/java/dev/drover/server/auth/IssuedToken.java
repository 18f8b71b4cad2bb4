package dev.drover.server.auth;

import java.util.Optional;

/**
 * A newly issued token. The secret is shown once, here; the store keeps only its hash.
 *
 * @param team the team of a team token, else empty
 */
public record IssuedToken(String id, String secret, TokenScope scope, Optional<String> team) {
}
