package dev.drover.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drover.model.app.ScanReport;
import dev.drover.model.schema.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The latest scan of each image digest, per team (migration V7): written by the scan route, read by the scan gates. */
public final class ImageScans {

    /** One stored scan. */
    public record Scan(String team, String digest, String image, String scanner, ScanReport report, String reportedBy,
                       Instant reportedAt) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final List<java.util.function.Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ImageScans(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Tells the listener the team of each scan recorded in this process, so that the gates' drift shows at once; scans
     * recorded by another replica show at the application controller's next periodic look.
     *
     * @return closing it removes the listener (a controller that stops, when the replica loses the leadership)
     */
    public AutoCloseable onRecorded(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Keeps the report as the digest's latest for the team, replacing an earlier one. */
    public Scan record(String team, String digest, String image, String scanner, ScanReport report, String reportedBy) {
        Instant now = clock.instant();
        Transactions.run(dataSource, connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO image_scans (team, digest, image, scanner, summary, findings, reported_by, reported_at)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                    ON CONFLICT (team, digest) DO UPDATE SET image = excluded.image, scanner = excluded.scanner,
                        summary = excluded.summary, findings = excluded.findings, reported_by = excluded.reported_by,
                        reported_at = excluded.reported_at""")) {
                upsert.setString(1, team);
                upsert.setString(2, digest);
                upsert.setString(3, image);
                upsert.setString(4, scanner);
                upsert.setString(5, ScanReport.summary(report.counts()));
                upsert.setString(6, Json.write(report.findings()));
                upsert.setString(7, reportedBy);
                upsert.setTimestamp(8, Timestamp.from(now));
                upsert.executeUpdate();
            }
            return null;
        });
        listeners.forEach(listener -> listener.accept(team));
        return new Scan(team, digest, image, scanner, report, reportedBy, now);
    }

    /** The team's latest scans of these digests, in the write transaction that checks them against a gate. */
    public static Map<String, Scan> latest(WriteTransaction transaction, String team, List<String> digests) {
        try {
            return select(transaction.connection(), team, digests);
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /** The team's latest scans of these digests, for a status pass. */
    public Map<String, Scan> latest(String team, List<String> digests) {
        return Transactions.run(dataSource, connection -> select(connection, team, digests));
    }

    private static Map<String, Scan> select(Connection connection, String team, List<String> digests) throws SQLException {
        Map<String, Scan> scans = new java.util.HashMap<>();
        if (digests.isEmpty()) {
            return scans;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT digest, image, scanner, findings::text, reported_by, reported_at FROM image_scans
                WHERE team = ? AND digest = ANY(?)""")) {
            select.setString(1, team);
            select.setArray(2, connection.createArrayOf("text", digests.toArray()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    List<ScanReport.Finding> findings = Json.MAPPER.readValue(row.getString(4), new TypeReference<>() { });
                    scans.put(row.getString(1), new Scan(team, row.getString(1), row.getString(2), row.getString(3),
                            new ScanReport(row.getString(2), java.util.Set.of(row.getString(1)), findings),
                            row.getString(5), row.getTimestamp(6).toInstant()));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            throw new IllegalStateException("a stored scan is not readable: " + unreadable.getMessage(), unreadable);
        }
        return scans;
    }
}
