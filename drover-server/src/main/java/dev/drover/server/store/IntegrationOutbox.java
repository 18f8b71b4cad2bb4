package dev.drover.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The Integrations' webhook deliveries in PostgreSQL: an event is recorded once (by its integration, event and the
 * identity of what it is about) before anything is sent, then delivered at least once; each attempt's outcome is
 * written back. What was pending when Drover stopped is sent after it starts again.
 */
public final class IntegrationOutbox {

    /** One event for one system. */
    public record Delivery(long id, String integration, String event, String subject, String body, String state, int attempts,
                           Instant nextAttemptAt, Optional<Instant> holdUntil, String lastError, Instant updatedAt) {
    }

    /** An event to record. */
    public record Event(String integration, String event, String subject, String dedup, String body, Optional<Instant> holdUntil) {
    }

    private static final String COLUMNS = "id, integration, event, subject, body, state, attempts, next_attempt_at, hold_until, "
            + "last_error, updated_at";

    private final DataSource dataSource;

    public IntegrationOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the events not recorded before; returns the integrations that got new ones. */
    public Set<String> record(List<Event> events, Instant now) {
        if (events.isEmpty()) {
            return Set.of();
        }
        return inTransaction(connection -> {
            Set<String> added = new HashSet<>();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO integration_deliveries (integration, event, "
                    + "subject, dedup, body, state, next_attempt_at, hold_until, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (integration, event, dedup) DO NOTHING")) {
                for (Event event : events) {
                    insert.setString(1, event.integration());
                    insert.setString(2, event.event());
                    insert.setString(3, event.subject());
                    insert.setString(4, event.dedup());
                    insert.setString(5, event.body());
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.setTimestamp(7, event.holdUntil().map(Timestamp::from).orElse(null));
                    insert.setTimestamp(8, Timestamp.from(now));
                    insert.setTimestamp(9, Timestamp.from(now));
                    if (insert.executeUpdate() > 0) {
                        added.add(event.integration());
                    }
                }
            }
            return added;
        });
    }

    /** The pending deliveries due by now, oldest first. */
    public List<Delivery> due(Instant now, int limit) {
        return select("WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT " + limit, now);
    }

    /** Every delivery of an integration that is pending, and the latest ones that failed an attempt. */
    public List<Delivery> of(String integration) {
        return inTransaction(connection -> {
            List<Delivery> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM integration_deliveries "
                    + "WHERE integration = ? AND (state = 'pending' OR last_error <> '') ORDER BY updated_at DESC, id DESC LIMIT 200")) {
                select.setString(1, integration);
                read(select, rows);
            }
            return rows;
        });
    }

    /** How many deliveries of an integration are in each state: delivered, failed, pending. */
    public long[] counts(String integration) {
        return inTransaction(connection -> {
            long[] counts = new long[3];
            try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FILTER (WHERE state = 'delivered'), "
                    + "count(*) FILTER (WHERE state = 'failed'), count(*) FILTER (WHERE state = 'pending') "
                    + "FROM integration_deliveries WHERE integration = ?")) {
                select.setString(1, integration);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    for (int index = 0; index < 3; index++) {
                        counts[index] = row.getLong(index + 1);
                    }
                }
            }
            return counts;
        });
    }

    /** Writes an attempt's outcome: delivered, failed for good, or pending again from the given time. */
    public void finish(long id, String state, int attempts, Instant nextAttemptAt, String error, Instant now) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE integration_deliveries SET state = ?, attempts = ?, "
                    + "next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, state);
                update.setInt(2, attempts);
                update.setTimestamp(3, Timestamp.from(nextAttemptAt));
                update.setString(4, error);
                update.setTimestamp(5, Timestamp.from(now));
                update.setLong(6, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Removes the delivered and failed deliveries last changed before the time; returns how many. */
    public int prune(Instant before) {
        return inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM integration_deliveries "
                    + "WHERE state <> 'pending' AND updated_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(before));
                return delete.executeUpdate();
            }
        });
    }

    /** Whether the system acknowledged (or Drover gave up on) the removal of the machine. */
    public Optional<String> removalState(String integration, String dedup) {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT state FROM integration_deliveries "
                    + "WHERE integration = ? AND event = 'machineRemoved' AND dedup = ?")) {
                select.setString(1, integration);
                select.setString(2, dedup);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private List<Delivery> select(String where, Instant now) {
        return inTransaction(connection -> {
            List<Delivery> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM integration_deliveries " + where)) {
                select.setTimestamp(1, Timestamp.from(now));
                read(select, rows);
            }
            return rows;
        });
    }

    private static void read(PreparedStatement select, List<Delivery> rows) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.add(new Delivery(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                        row.getString(6), row.getInt(7), row.getTimestamp(8).toInstant(),
                        Optional.ofNullable(row.getTimestamp(9)).map(Timestamp::toInstant), row.getString(10),
                        row.getTimestamp(11).toInstant()));
            }
        }
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.run(dataSource, work);
    }
}
