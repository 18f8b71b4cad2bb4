package dev.drover.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bearer tokens, stored as SHA-256 hashes. Tokens carry 256 random bits, so a fast hash is enough: there is
 * nothing to guess that a slow hash would protect.
 */
public final class TokenStore {

    private static final String PREFIX = "drover_";

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public IssuedToken issueAdmin(String description) {
        return issue(Optional.empty(), description);
    }

    public IssuedToken issueForTeam(String team, String description) {
        return issue(Optional.of(team), description);
    }

    private IssuedToken issue(Optional<String> team, String description) {
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        String hash = hash(secret);
        String id = "t-" + hash.substring(0, 10);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO tokens (id, secret_hash, team, admin, description) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, hash);
            insert.setString(3, team.orElse(null));
            insert.setBoolean(4, team.isEmpty());
            insert.setString(5, description);
            insert.executeUpdate();
        } catch (SQLException failed) {
            throw new IllegalStateException("could not store the new token: " + failed.getMessage(), failed);
        }
        return new IssuedToken(id, secret, team);
    }

    /** The principal the token stands for, if it is a token Drover issued. */
    public Optional<Principal> authenticate(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, team, admin FROM tokens WHERE secret_hash = ?")) {
            select.setString(1, hash(secret));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                if (row.getBoolean(3)) {
                    return Optional.of(new Principal.PlatformAdmin(row.getString(1)));
                }
                return Optional.of(new Principal.TeamMember(row.getString(1), row.getString(2)));
            }
        } catch (SQLException failed) {
            throw new IllegalStateException("could not check the token: " + failed.getMessage(), failed);
        }
    }

    /** Every token, oldest first. */
    public java.util.List<TokenInfo> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, team, description, created_at FROM tokens ORDER BY created_at, id")) {
            java.util.List<TokenInfo> tokens = new java.util.ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    tokens.add(new TokenInfo(row.getString(1), Optional.ofNullable(row.getString(2)), row.getString(3),
                            row.getTimestamp(4).toInstant()));
                }
            }
            return tokens;
        } catch (SQLException failed) {
            throw new IllegalStateException("could not list tokens: " + failed.getMessage(), failed);
        }
    }

    /** Removes a token; returns whether it existed. */
    public boolean revoke(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM tokens WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        } catch (SQLException failed) {
            throw new IllegalStateException("could not revoke token " + id + ": " + failed.getMessage(), failed);
        }
    }

    private static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
