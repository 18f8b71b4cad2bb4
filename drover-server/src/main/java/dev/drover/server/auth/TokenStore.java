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
        return issue(TokenScope.PLATFORM_ADMIN, Optional.empty(), description);
    }

    public IssuedToken issueForTeam(String team, String description) {
        return issue(TokenScope.TEAM, Optional.of(team), description);
    }

    public IssuedToken issueFleetReader(String description) {
        return issue(TokenScope.FLEET_READER, Optional.empty(), description);
    }

    /**
     * Registers an admin token made outside Drover (a Secret an operator or a chart created), unless it is known
     * already; replicas starting together may all register it. Refuses a token too short to be unguessable.
     */
    public void registerAdmin(String secret, String description) {
        if (!secret.matches(PREFIX + "[A-Za-z0-9_-]{43,}")) {
            throw new IllegalArgumentException("an admin token must be " + PREFIX + " followed by at least 43 letters, digits, "
                    + "'-' or '_' (256 random bits), for example: echo " + PREFIX + "$(openssl rand -base64 32 | tr '+/' '-_' | tr -d =)");
        }
        Optional<TokenHolder> known = authenticate(secret);
        if (known.isPresent()) {
            if (known.get().scope() != TokenScope.PLATFORM_ADMIN) {
                throw new IllegalArgumentException("the token is a " + known.get().scope().wireName()
                        + " token, not a platform-admin one; give a new token");
            }
            return;
        }
        insert(secret, TokenScope.PLATFORM_ADMIN, Optional.empty(), description, " ON CONFLICT DO NOTHING");
    }

    private IssuedToken issue(TokenScope scope, Optional<String> team, String description) {
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        return insert(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes), scope, team, description, "");
    }

    private IssuedToken insert(String secret, TokenScope scope, Optional<String> team, String description, String onConflict) {
        String hash = hash(secret);
        String id = "t-" + hash.substring(0, 10);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO tokens (id, secret_hash, team, admin, fleet_reader, description) VALUES (?, ?, ?, ?, ?, ?)" + onConflict)) {
            insert.setString(1, id);
            insert.setString(2, hash);
            insert.setString(3, team.orElse(null));
            insert.setBoolean(4, scope == TokenScope.PLATFORM_ADMIN);
            insert.setBoolean(5, scope == TokenScope.FLEET_READER);
            insert.setString(6, description);
            insert.executeUpdate();
        } catch (SQLException failed) {
            throw new IllegalStateException("could not store the new token: " + failed.getMessage(), failed);
        }
        return new IssuedToken(id, secret, scope, team);
    }

    /** Who holds the token, if it is a token Drover issued. */
    public Optional<TokenHolder> authenticate(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, team, admin, fleet_reader FROM tokens WHERE secret_hash = ?")) {
            select.setString(1, hash(secret));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TokenHolder(row.getString(1), scope(row, 3), Optional.ofNullable(row.getString(2))));
            }
        } catch (SQLException failed) {
            throw new IllegalStateException("could not check the token: " + failed.getMessage(), failed);
        }
    }

    /** The scope of a row whose admin and fleet_reader columns are the given one and the next. */
    private static TokenScope scope(ResultSet row, int adminColumn) throws SQLException {
        return row.getBoolean(adminColumn) ? TokenScope.PLATFORM_ADMIN
                : row.getBoolean(adminColumn + 1) ? TokenScope.FLEET_READER : TokenScope.TEAM;
    }

    /** Every token, oldest first. */
    public java.util.List<TokenInfo> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, team, admin, fleet_reader, description, created_at FROM tokens ORDER BY created_at, id")) {
            java.util.List<TokenInfo> tokens = new java.util.ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    tokens.add(new TokenInfo(row.getString(1), scope(row, 3), Optional.ofNullable(row.getString(2)),
                            row.getString(5), row.getTimestamp(6).toInstant()));
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
