package dev.drover.server.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log in PostgreSQL. Writes are recorded by their own transaction ({@link WriteTransaction#audit}); refusals
 * and, when asked for, reads are queued here and written in batches by a thread of their own, so that a client
 * sending thousands of bad requests costs the database a few inserts. Entries older than the retention are removed,
 * and when a file is configured every entry is also appended to it as a JSON line, for a log shipper.
 */
public final class AuditLog implements AutoCloseable {

    /** What {@code drover audit} asks for. */
    public record Query(Optional<String> team, Optional<String> actor, Optional<Instant> since, int limit) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int QUEUE_LIMIT = 10_000;
    private static final int BATCH = 500;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final String COLUMNS = "at, actor, groups, team, verb, kind, namespace, name, version_before, "
            + "version_after, code, message, source";

    private final DataSource dataSource;
    private final Duration retention;
    private final Optional<Path> file;
    private final Clock clock;
    private final BlockingQueue<AuditEntry> queued = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private long exportedUpTo;
    private Instant prunedAt = Instant.EPOCH;

    public AuditLog(DataSource dataSource, Duration retention, Optional<Path> file, Clock clock) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.file = file;
        this.clock = clock;
        this.exportedUpTo = file.map(AuditLog::lastExportedId).orElse(0L);
        this.writer = Thread.ofPlatform().name("drover-audit-writer").daemon().start(this::writeLoop);
    }

    /**
     * Queues an entry written outside any write transaction: a refusal, or a read. When the queue is full (the
     * database is down, or a flood of refusals) the entry is dropped and counted, never waited for.
     */
    public void record(AuditEntry entry) {
        if (!queued.offer(entry)) {
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                LOG.warn("the audit log's queue is full; {} refusal or read entries dropped so far", count);
            }
        }
    }

    /** The newest entries that match, newest first. */
    public List<AuditEntry> list(Query query) {
        StringBuilder sql = new StringBuilder("SELECT id, " + COLUMNS + " FROM audit_log WHERE true");
        List<Object> parameters = new ArrayList<>();
        query.team().ifPresent(team -> {
            // A company user may act for several teams: the column holds them comma-separated.
            sql.append(" AND (team = ? OR ',' || team || ',' LIKE ?)");
            parameters.add(team);
            parameters.add("%," + team.replace("%", "").replace("_", "") + ",%");
        });
        query.actor().ifPresent(actor -> {
            sql.append(" AND actor = ?");
            parameters.add(actor);
        });
        query.since().ifPresent(since -> {
            sql.append(" AND at >= ?");
            parameters.add(Timestamp.from(since));
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(query.limit());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int index = 0; index < parameters.size(); index++) {
                select.setObject(index + 1, parameters.get(index));
            }
            return read(select);
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /** The entry as a JSON object, as the API answers it and the file holds it. */
    public static ObjectNode json(AuditEntry entry) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("id", entry.id());
        line.put("time", entry.at().toString());
        line.put("actor", entry.actor());
        if (!entry.groups().isEmpty()) {
            line.put("groups", entry.groups());
        }
        if (!entry.team().isEmpty()) {
            line.put("team", entry.team());
        }
        line.put("verb", entry.verb());
        if (!entry.kind().isEmpty()) {
            line.put("kind", entry.kind());
        }
        if (!entry.namespace().isEmpty()) {
            line.put("namespace", entry.namespace());
        }
        if (!entry.name().isEmpty()) {
            line.put("name", entry.name());
        }
        entry.versionBefore().ifPresent(version -> line.put("resourceVersionBefore", Long.toString(version)));
        entry.versionAfter().ifPresent(version -> line.put("resourceVersionAfter", Long.toString(version)));
        line.put("code", entry.code());
        line.put("outcome", entry.code() < 400 ? "allowed" : "refused");
        if (!entry.message().isEmpty()) {
            line.put("message", entry.message());
        }
        if (!entry.source().isEmpty()) {
            line.put("source", entry.source());
        }
        return line;
    }

    static void insert(Connection connection, List<AuditEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditEntry entry : entries) {
                insert.setTimestamp(1, Timestamp.from(entry.at()));
                insert.setString(2, entry.actor());
                insert.setString(3, entry.groups());
                insert.setString(4, entry.team());
                insert.setString(5, entry.verb());
                insert.setString(6, entry.kind());
                insert.setString(7, entry.namespace());
                insert.setString(8, entry.name());
                setVersion(insert, 9, entry.versionBefore());
                setVersion(insert, 10, entry.versionAfter());
                insert.setInt(11, entry.code());
                insert.setString(12, entry.message());
                insert.setString(13, entry.source());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void setVersion(PreparedStatement statement, int index, Optional<Long> version) throws SQLException {
        if (version.isPresent()) {
            statement.setLong(index, version.get());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static List<AuditEntry> read(PreparedStatement select) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long before = row.getLong(10);
                Optional<Long> versionBefore = row.wasNull() ? Optional.empty() : Optional.of(before);
                long after = row.getLong(11);
                Optional<Long> versionAfter = row.wasNull() ? Optional.empty() : Optional.of(after);
                entries.add(new AuditEntry(row.getLong(1), row.getTimestamp(2).toInstant(), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                        row.getString(9), versionBefore, versionAfter, row.getInt(12), row.getString(13), row.getString(14)));
            }
        }
        return entries;
    }

    private void writeLoop() {
        List<AuditEntry> batch = new ArrayList<>();
        while (!closed) {
            try {
                AuditEntry first = queued.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queued.drainTo(batch, BATCH - 1);
                    try (Connection connection = dataSource.getConnection()) {
                        insert(connection, batch);
                    }
                }
                batch.clear();
                export();
                pruneWhenDue();
            } catch (InterruptedException interrupted) {
                return;
            } catch (SQLException | RuntimeException failed) {
                // The database is down: the batch is lost (it held refusals and reads only), the next one is tried.
                LOG.warn("writing the audit log failed; {} entries lost: {}", batch.size(), failed.getMessage());
                batch.clear();
            }
        }
    }

    /** Appends the entries committed since the last export to the file, in id order. */
    private void export() throws SQLException {
        if (file.isEmpty()) {
            return;
        }
        while (true) {
            List<AuditEntry> entries;
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("SELECT id, " + COLUMNS
                         + " FROM audit_log WHERE id > ? ORDER BY id LIMIT " + BATCH)) {
                select.setLong(1, exportedUpTo);
                entries = read(select);
            }
            if (entries.isEmpty()) {
                return;
            }
            StringBuilder lines = new StringBuilder();
            entries.forEach(entry -> lines.append(Json.write(json(entry))).append('\n'));
            try {
                Files.writeString(file.get(), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException unwritable) {
                throw new UncheckedIOException("cannot append to the audit file " + file.get(), unwritable);
            }
            exportedUpTo = entries.getLast().id();
        }
    }

    /** The id of the file's last line, so that a restart appends from there and no entry is written twice. */
    private static long lastExportedId(Path file) {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int index = lines.size() - 1; index >= 0; index--) {
                if (!lines.get(index).isBlank()) {
                    return Json.parseObject(lines.get(index)).path("id").asLong(0);
                }
            }
            return 0;
        } catch (IOException | UncheckedIOException unreadable) {
            throw new IllegalStateException("cannot read the audit file " + file + " to append to it: "
                    + unreadable.getMessage(), unreadable);
        }
    }

    private void pruneWhenDue() throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(prunedAt, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        prunedAt = now;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM audit_log WHERE at < ?")) {
            delete.setTimestamp(1, Timestamp.from(now.minus(retention)));
            int removed = delete.executeUpdate();
            if (removed > 0) {
                LOG.info("removed {} audit entries older than {}", removed, retention);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(Duration.ofSeconds(5));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
