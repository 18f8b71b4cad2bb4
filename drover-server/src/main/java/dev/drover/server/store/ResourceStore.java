package dev.drover.server.store;

import dev.drover.model.error.ApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects of every kind in PostgreSQL, with monotonic resource versions and a change feed for watch.
 *
 * <p>All writes go through one writer thread that groups waiting mutations into one transaction (group
 * commit). The {@code revision} row lock serialises writers, so resource versions follow commit order and a
 * watcher resuming from any version it has seen misses nothing, also with several Drover replicas.
 */
public final class ResourceStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceStore.class);
    private static final int MAX_BATCH = 256;
    static final String CHANGES_CHANNEL = "drover_changes";

    private final DataSource dataSource;
    private final Duration changeRetention;
    private final WatchHub hub;
    private final BlockingQueue<PendingWrite<?>> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread listener;
    private final Object publishing = new Object();
    private final ScheduledExecutorService compactor;
    private volatile boolean closed;
    private final DistributionSummary batchSizes;
    private final Timer batchCommits;

    /**
     * @param metrics where the group commits' sizes (drover_store_batch_writes) and durations (drover_store_batch_commit_seconds)
     *     and the number of watchers (drover_watchers) go
     */
    public ResourceStore(DataSource dataSource, Duration changeRetention, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.changeRetention = changeRetention;
        this.hub = new WatchHub(readState("revision"));
        this.batchSizes = DistributionSummary.builder("drover.store.batch.writes").description("Writes per group commit")
                .register(metrics);
        this.batchCommits = Timer.builder("drover.store.batch.commit").description("Group commits, and how long each took")
                .register(metrics);
        Gauge.builder("drover.watchers", hub, WatchHub::watchers).description("Open watches").register(metrics);
        this.writer = Thread.ofPlatform().name("drover-store-writer").daemon().unstarted(this::writeLoop);
        this.compactor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("drover-store-compactor").daemon().factory());
        this.listener = Thread.ofPlatform().name("drover-store-listener").daemon().unstarted(this::listenLoop);
        writer.start();
        listener.start();
        compactor.scheduleWithFixedDelay(this::compactQuietly, 1, 1, TimeUnit.MINUTES);
    }

    public Optional<StoredObject> get(ObjectKey key) {
        try (Connection connection = dataSource.getConnection()) {
            return WriteTransaction.load(connection, key);
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /** One page of objects in (namespace, name) order, read in a single snapshot with its revision. */
    /** How many objects of the kind (in the namespace, if any) come after the key, in list order. */
    public long countAfter(String kind, Optional<String> namespace, ObjectKey after) {
        String sql = "SELECT count(*) FROM resources WHERE kind = ?" + (namespace.isPresent() ? " AND namespace = ?" : "")
                + " AND (namespace, name) > (?, ?)";
        try (Connection connection = dataSource.getConnection(); PreparedStatement count = connection.prepareStatement(sql)) {
            int parameter = 1;
            count.setString(parameter++, kind);
            if (namespace.isPresent()) {
                count.setString(parameter++, namespace.get());
            }
            count.setString(parameter++, after.namespace());
            count.setString(parameter, after.name());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    public ListPage list(ListQuery query) {
        StringBuilder sql = new StringBuilder(
                "SELECT namespace, name, resource_version, labels::text, body FROM resources WHERE kind = ?");
        query.namespace().ifPresent(ignored -> sql.append(" AND namespace = ?"));
        query.after().ifPresent(ignored -> sql.append(" AND (namespace, name) > (?, ?)"));
        sql.append(" ORDER BY namespace, name");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                long revision = readState(connection, "revision");
                List<ListedObject> items = new ArrayList<>();
                Optional<ObjectKey> lastKey = Optional.empty();
                try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                    select.setFetchSize(1000);
                    int parameter = 1;
                    select.setString(parameter++, query.kind());
                    if (query.namespace().isPresent()) {
                        select.setString(parameter++, query.namespace().get());
                    }
                    if (query.after().isPresent()) {
                        select.setString(parameter++, query.after().get().namespace());
                        select.setString(parameter, query.after().get().name());
                    }
                    boolean selectsLabels = !query.labels().isEverything();
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next()) {
                            var key = new ObjectKey(query.kind(), row.getString(1), row.getString(2));
                            if (!query.keys().test(key)) {
                                continue;
                            }
                            Map<String, String> labels = selectsLabels ? WriteTransaction.readLabels(row.getString(4)) : Map.of();
                            if (!query.labels().matches(labels)) {
                                continue;
                            }
                            var object = new ListedObject(key, row.getLong(3), row.getBytes(5));
                            if (query.limit() > 0 && items.size() == query.limit()) {
                                lastKey = Optional.of(items.getLast().key());
                                break;
                            }
                            items.add(object);
                        }
                    }
                }
                return new ListPage(items, revision, lastKey);
            } finally {
                connection.rollback();
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /**
     * Runs the mutation in the next batch transaction and waits for its commit; watchers see its changes
     * before this returns.
     *
     * @throws ApiException what the mutation threw to refuse the write
     * @throws StoreFailure when the database failed; nothing was written
     */
    public <T> T write(Mutation<T> mutation) {
        return write(ReadHints.NONE, mutation);
    }

    /** Like {@link #write(Mutation)}, saying what the mutation will read so that a batch reads it all at once. */
    public <T> T write(ReadHints reads, Mutation<T> mutation) {
        if (closed) {
            throw new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "the store is shutting down; retry");
        }
        var write = new PendingWrite<>(reads, mutation);
        pending.add(write);
        try {
            return write.result.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "interrupted while waiting for the store");
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(failed.getCause());
        }
    }

    /**
     * Changes of a kind after the given resource version, from the change feed and then live.
     *
     * @throws ApiException Gone when the change feed no longer reaches back that far
     */
    public WatchStream watch(String kind, long fromRevision) {
        WatchHub.Subscription live = hub.subscribe(kind);
        try {
            long compacted = readState("compacted");
            if (fromRevision < compacted) {
                throw new ApiException(ApiException.Reason.GONE, "too old resource version: " + fromRevision + " ("
                        + (compacted + 1) + "); list again to get a current resourceVersion");
            }
            List<Change> backlog = fromRevision < live.registeredAt()
                    ? readChanges(Optional.of(kind), fromRevision, live.registeredAt())
                    : List.of();
            return new WatchStream(backlog, live, fromRevision);
        } catch (RuntimeException failed) {
            live.close();
            throw failed;
        }
    }

    /** @throws StoreFailure when the database does not answer */
    public void ping() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1")) {
            select.execute();
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    /** The newest committed resource version. */
    public long revision() {
        return hub.published();
    }

    /** Removes changes older than the retention from the feed; watchers from before then get 410 Gone. */
    public void compact() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement newest = connection.prepareStatement("""
                    SELECT max(resource_version) FROM changes
                    WHERE recorded_at < now() - make_interval(secs => ?)
                      AND resource_version < (SELECT value FROM store_state WHERE key = 'revision')""")) {
                newest.setDouble(1, changeRetention.toMillis() / 1000.0);
                try (ResultSet row = newest.executeQuery()) {
                    row.next();
                    long horizon = row.getLong(1);
                    if (row.wasNull()) {
                        connection.rollback();
                        return;
                    }
                    try (PreparedStatement compacted = connection.prepareStatement(
                            "UPDATE store_state SET value = ? WHERE key = 'compacted'");
                         PreparedStatement delete = connection.prepareStatement(
                                 "DELETE FROM changes WHERE resource_version <= ?")) {
                        compacted.setLong(1, horizon);
                        compacted.executeUpdate();
                        delete.setLong(1, horizon);
                        delete.executeUpdate();
                    }
                }
            }
            connection.commit();
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    private void compactQuietly() {
        try {
            compact();
        } catch (RuntimeException failed) {
            LOG.warn("compacting the change feed failed; will retry: {}", failed.getMessage());
        }
    }

    private void writeLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(pending.take());
            } catch (InterruptedException interrupted) {
                break;
            }
            pending.drainTo(batch, MAX_BATCH - 1);
            try {
                commitBatch(batch);
            } catch (StoreFailure failed) {
                retryOneByOne(batch, failed);
            } catch (RuntimeException bug) {
                // The writer must survive anything: every later write depends on it.
                LOG.error("a write batch failed unexpectedly; its writes were rolled back", bug);
                batch.forEach(write -> write.result.completeExceptionally(new ApiException(
                        ApiException.Reason.INTERNAL_ERROR, "internal error while writing; nothing was stored: " + bug)));
            }
            batch.clear();
        }
        for (PendingWrite<?> left : pending) {
            left.result.completeExceptionally(
                    new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "the store is shutting down; retry"));
        }
    }

    /** A failed batch is re-run one mutation per transaction, so one bad write cannot fail the others. */
    private void retryOneByOne(List<PendingWrite<?>> batch, StoreFailure batchFailure) {
        if (batch.size() == 1) {
            batch.getFirst().result.completeExceptionally(batchFailure);
            return;
        }
        for (PendingWrite<?> write : batch) {
            try {
                commitBatch(List.of(write));
            } catch (RuntimeException failed) {
                LOG.warn("a write failed in the database: {}", failed.getMessage());
                write.result.completeExceptionally(failed);
            }
        }
    }

    private void commitBatch(List<PendingWrite<?>> batch) {
        long started = System.nanoTime();
        List<Runnable> completions = new ArrayList<>(batch.size());
        WriteTransaction transaction;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long revision;
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT value FROM store_state WHERE key = 'revision' FOR UPDATE");
                     ResultSet row = lock.executeQuery()) {
                    row.next();
                    revision = row.getLong(1);
                }
                transaction = new WriteTransaction(connection, revision);
                transaction.prefetch(batch.stream().flatMap(write -> write.reads.objects().stream()).toList());
                transaction.prefetchUsage(batch.stream().flatMap(write -> write.reads.usages().stream()).toList());
                for (PendingWrite<?> write : batch) {
                    completions.add(write.applyIn(transaction));
                }
                transaction.flush();
                connection.commit();
            } catch (SQLException | RuntimeException failed) {
                connection.rollback();
                throw failed;
            } catch (AssertionError brokenConnection) {
                // The JDBC driver asserts on the state of a connection that broke in the middle of a batch (PostgreSQL
                // killed under it). That is a failed database, not a dead writer: every later write needs the writer.
                throw new SQLException("the database connection broke during the write: " + brokenConnection.getMessage(),
                        brokenConnection);
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
        batchSizes.record(batch.size());
        batchCommits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        publish(transaction.changes(), transaction.revision());
        completions.forEach(Runnable::run);
    }

    /**
     * Hands committed changes to the watch hub in resource-version order. Changes other replicas committed before
     * (versions the hub has not seen up to {@code committedUpTo}) are read from the change feed first; the row lock
     * on the revision guarantees that every version below a committed one is committed too.
     */
    private void publish(List<Change> local, long committedUpTo) {
        synchronized (publishing) {
            long published = hub.published();
            if (committedUpTo <= published) {
                return;
            }
            long firstLocal = local.isEmpty() ? Long.MAX_VALUE : local.getFirst().resourceVersion();
            long gapEnd = Math.min(firstLocal - 1, committedUpTo);
            if (gapEnd > published) {
                hub.publish(readChanges(Optional.empty(), published, gapEnd));
            }
            hub.publish(local.stream().filter(change -> change.resourceVersion() > hub.published()).toList());
        }
    }

    /** Follows the other replicas' commits through PostgreSQL notifications, reconnecting after failures. */
    private void listenLoop() {
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                try (var listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANGES_CHANNEL);
                }
                publish(List.of(), readState(connection, "revision"));
                var notifications = connection.unwrap(org.postgresql.PGConnection.class);
                while (!closed) {
                    org.postgresql.PGNotification[] received = notifications.getNotifications(1_000);
                    long newest = 0;
                    for (org.postgresql.PGNotification notification : received == null
                            ? new org.postgresql.PGNotification[0] : received) {
                        newest = Math.max(newest, Long.parseLong(notification.getParameter()));
                    }
                    if (newest > 0) {
                        publish(List.of(), newest);
                    }
                }
            } catch (SQLException | RuntimeException failed) {
                if (closed) {
                    return;
                }
                LOG.warn("following other replicas' changes failed; retrying in 1 s: {}", failed.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Changes after one version up to another, of one kind or of all. */
    private List<Change> readChanges(Optional<String> kind, long after, long upTo) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT resource_version, namespace, name, event, labels::text, body, kind FROM changes
                     WHERE (kind = ? OR ?::text IS NULL) AND resource_version > ? AND resource_version <= ?
                     ORDER BY resource_version""")) {
            select.setString(1, kind.orElse(null));
            select.setString(2, kind.orElse(null));
            select.setLong(3, after);
            select.setLong(4, upTo);
            List<Change> changes = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    var object = new StoredObject(row.getString(7), row.getString(2), row.getString(3), row.getLong(1),
                            WriteTransaction.readLabels(row.getString(5)), Map.of(), row.getString(6));
                    changes.add(new Change(Change.EventType.valueOf(row.getString(4)), object, Optional.empty()));
                }
            }
            return changes;
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    private long readState(String key) {
        try (Connection connection = dataSource.getConnection()) {
            return readState(connection, key);
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    private static long readState(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM store_state WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        listener.interrupt();
        compactor.shutdownNow();
        try {
            writer.join(5_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PendingWrite<T> {
        private final ReadHints reads;
        private final Mutation<T> mutation;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        PendingWrite(ReadHints reads, Mutation<T> mutation) {
            this.reads = reads;
            this.mutation = mutation;
        }

        /** Applies the mutation; returns how to complete its caller once the batch has committed. */
        Runnable applyIn(WriteTransaction transaction) {
            WriteTransaction.Mark mark = transaction.mark();
            try {
                T value = mutation.apply(transaction);
                return () -> result.complete(value);
            } catch (StoreFailure failed) {
                throw failed;
            } catch (RuntimeException refused) {
                transaction.resetTo(mark);
                return () -> result.completeExceptionally(refused);
            }
        }
    }
}
