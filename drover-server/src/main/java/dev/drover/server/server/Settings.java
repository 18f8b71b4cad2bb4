package dev.drover.server.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Small facts about this installation kept in the store, such as whether the examples were loaded. */
final class Settings {

    private final DataSource dataSource;

    Settings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<String> get(String key) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException failed) {
            throw new IllegalStateException("cannot read setting " + key + ": " + failed.getMessage(), failed);
        }
    }

    void put(String key, String value) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(
                     "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            upsert.setString(1, key);
            upsert.setString(2, value);
            upsert.executeUpdate();
        } catch (SQLException failed) {
            throw new IllegalStateException("cannot write setting " + key + ": " + failed.getMessage(), failed);
        }
    }
}
