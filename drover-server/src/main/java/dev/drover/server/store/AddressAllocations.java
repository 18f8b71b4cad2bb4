package dev.drover.server.store;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.ipam.AddressPlan;
import dev.drover.model.ipam.IpAddress;
import dev.drover.model.schema.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The addresses Drover hands out as an IPAM provider, in PostgreSQL. An allocation runs in one transaction holding the
 * pool's advisory lock, reads the pool's spec as committed (so that an update shrinking the pool, which takes the same
 * lock, and an allocation never interleave) and inserts a row whose primary key is the pool and address: an address
 * is never handed out twice, whichever replica or management cluster asks. Every allocation and release is logged.
 */
public final class AddressAllocations {

    /** Who holds an address: a claim of a management cluster, and what it is for. */
    public record Holder(String managementCluster, String claimUid, String claimNamespace, String claimName, String team,
                         String cluster, String environment, String machine) {

        public Holder {
            requireNonNull(managementCluster, "managementCluster is null");
            requireNonNull(claimUid, "claimUid is null");
            requireNonNull(claimNamespace, "claimNamespace is null");
            requireNonNull(claimName, "claimName is null");
            requireNonNull(team, "team is null");
            requireNonNull(cluster, "cluster is null");
            requireNonNull(environment, "environment is null");
            requireNonNull(machine, "machine is null");
        }

        String describe() {
            return "claim " + claimNamespace + "/" + claimName + (cluster.isEmpty() ? "" : " of cluster " + team + "/" + cluster);
        }
    }

    /** One address of a pool and who holds it; released when it rests. */
    public record Allocation(String pool, String address, Holder holder, Instant allocatedAt, Optional<Instant> releasedAt) {

        public boolean held() {
            return releasedAt.isEmpty();
        }
    }

    /** What one claim got. */
    public sealed interface Outcome {
        /** @param reused whether the claim got back the address its name held before */
        record Allocated(Allocation allocation, boolean reused) implements Outcome {
        }

        record Exhausted(String pool, long total) implements Outcome {
        }

        record PoolMissing(String pool) implements Outcome {
        }
    }

    /** What a report asks for; empty filters match everything. */
    public record Query(Optional<String> pool, Optional<String> team, Optional<String> cluster, boolean withReleased) {
    }

    /** One entry of the trail of who held which address. */
    public record LogEntry(Instant at, String action, String pool, String address, Holder holder) {
    }

    private static final String COLUMNS = "pool, address, management_cluster, claim_uid, claim_namespace, claim_name, team, "
            + "cluster, environment, machine, allocated_at, released_at";

    private final DataSource dataSource;
    private final Clock clock;

    public AddressAllocations(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Gives each holder an address of the pool, in one transaction: the one it holds already, else the one its claim's
     * name held last if that is free (a claim made again after its IPAddress or itself was deleted), else the lowest
     * free address. An address released less than the pool's reuseAfter ago is not free.
     *
     * @throws StoreFailure when the database fails, or the fence refuses (another replica leads)
     */
    public Map<Holder, Outcome> allocate(String pool, List<Holder> holders, LeaderFence fence) {
        return inTransaction(connection -> {
            lockPool(connection, pool);
            checkFence(connection, fence);
            Optional<IPPoolSpec> spec = WriteTransaction.load(connection, new ObjectKey(Kinds.IP_POOL.kind(), "", pool))
                    .map(stored -> Json.bind(Json.parseObject(stored.json()).path("spec"), IPPoolSpec.class));
            Map<Holder, Outcome> outcomes = new LinkedHashMap<>();
            if (spec.isEmpty()) {
                holders.forEach(holder -> outcomes.put(holder, new Outcome.PoolMissing(pool)));
                return outcomes;
            }
            AddressPlan plan = AddressPlan.of(spec.get());
            Instant now = clock.instant();
            Instant restingSince = now.minus(reuseAfter(spec.get()));
            List<Allocation> rows = select(connection, "WHERE pool = ?", List.of(pool));
            Set<IpAddress> taken = new HashSet<>();
            Map<String, Allocation> heldByClaim = new HashMap<>();
            Map<String, Allocation> lastByName = new HashMap<>();
            for (Allocation row : rows) {
                if (row.held()) {
                    heldByClaim.put(row.holder().managementCluster() + " " + row.holder().claimUid(), row);
                    taken.add(IpAddress.parse(row.address()));
                } else {
                    lastByName.merge(nameKey(row.holder()), row, (one, other) ->
                            one.releasedAt().get().isAfter(other.releasedAt().get()) ? one : other);
                    if (row.releasedAt().get().isAfter(restingSince)) {
                        taken.add(IpAddress.parse(row.address()));
                    }
                }
            }
            for (Holder holder : holders) {
                Allocation held = heldByClaim.get(holder.managementCluster() + " " + holder.claimUid());
                if (held != null) {
                    outcomes.put(holder, new Outcome.Allocated(held, false));
                    continue;
                }
                Optional<IpAddress> address = Optional.ofNullable(lastByName.get(nameKey(holder)))
                        .map(last -> IpAddress.parse(last.address()))
                        .filter(last -> plan.contains(last) && rows.stream().noneMatch(row -> row.held()
                                && row.address().equals(last.toString())) && !takenInBatch(outcomes, last));
                boolean reused = address.isPresent();
                if (address.isEmpty()) {
                    address = plan.firstFree(taken::contains);
                }
                if (address.isEmpty()) {
                    outcomes.put(holder, new Outcome.Exhausted(pool, plan.size().min(java.math.BigInteger.valueOf(Long.MAX_VALUE))
                            .longValue()));
                    continue;
                }
                taken.add(address.get());
                var allocation = new Allocation(pool, address.get().toString(), holder, now, Optional.empty());
                upsert(connection, allocation);
                log(connection, now, "allocated", allocation);
                outcomes.put(holder, new Outcome.Allocated(allocation, reused));
            }
            return outcomes;
        });
    }

    private static boolean takenInBatch(Map<Holder, Outcome> outcomes, IpAddress address) {
        return outcomes.values().stream().anyMatch(outcome -> outcome instanceof Outcome.Allocated allocated
                && allocated.allocation().address().equals(address.toString()));
    }

    private static String nameKey(Holder holder) {
        return holder.managementCluster() + " " + holder.claimNamespace() + "/" + holder.claimName();
    }

    /**
     * Releases the addresses the claims hold: they rest for the pool's reuseAfter, then are free.
     *
     * @param action {@code released} (the claim went) or {@code reclaimed} (a leak was found)
     * @return what was released
     */
    public List<Allocation> release(String managementCluster, List<String> claimUids, String action, LeaderFence fence) {
        if (claimUids.isEmpty()) {
            return List.of();
        }
        return inTransaction(connection -> {
            checkFence(connection, fence);
            Instant now = clock.instant();
            List<Allocation> released = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("UPDATE ip_allocations SET released_at = ? "
                    + "WHERE management_cluster = ? AND claim_uid = ? AND released_at IS NULL RETURNING " + COLUMNS)) {
                for (String uid : claimUids) {
                    update.setTimestamp(1, Timestamp.from(now));
                    update.setString(2, managementCluster);
                    update.setString(3, uid);
                    try (ResultSet row = update.executeQuery()) {
                        while (row.next()) {
                            released.add(allocation(row));
                        }
                    }
                }
            }
            for (Allocation allocation : released) {
                log(connection, now, action, allocation);
            }
            return released;
        });
    }

    /** The allocations a report asks for, held ones first, by pool and address. */
    public List<Allocation> list(Query query) {
        List<String> conditions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        query.pool().ifPresent(pool -> {
            conditions.add("pool = ?");
            values.add(pool);
        });
        query.team().ifPresent(team -> {
            conditions.add("team = ?");
            values.add(team);
        });
        query.cluster().ifPresent(cluster -> {
            conditions.add("cluster = ?");
            values.add(cluster);
        });
        if (!query.withReleased()) {
            conditions.add("released_at IS NULL");
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        return inTransaction(connection -> select(connection, where, values));
    }

    /** Every allocation and release of an address, oldest first. */
    public List<LogEntry> history(String pool, String address) {
        return inTransaction(connection -> {
            List<LogEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT at, action, pool, address, management_cluster, "
                    + "claim_uid, claim_namespace, claim_name, team, cluster, environment, machine FROM ip_allocation_log "
                    + "WHERE pool = ? AND address = ? ORDER BY id")) {
                select.setString(1, pool);
                select.setString(2, address);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        entries.add(new LogEntry(row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3),
                                row.getString(4), holder(row, 5)));
                    }
                }
            }
            return entries;
        });
    }

    /**
     * The held addresses of a pool that an update would leave outside it, read in the update's transaction after
     * taking the pool's lock, so that no allocation slips in between the check and the commit.
     */
    public static List<String> heldOutside(WriteTransaction transaction, String pool, AddressPlan plan) {
        return heldUnderLock(transaction, pool).stream().filter(row -> !plan.contains(IpAddress.parse(row.address())))
                .map(AddressAllocations::described).toList();
    }

    /** The held addresses of a pool, described for a refusal, read under the pool's lock in the write's transaction. */
    public static List<String> held(WriteTransaction transaction, String pool) {
        return heldUnderLock(transaction, pool).stream().map(AddressAllocations::described).toList();
    }

    private static List<Allocation> heldUnderLock(WriteTransaction transaction, String pool) {
        try {
            Connection connection = transaction.connection();
            lockPool(connection, pool);
            return select(connection, "WHERE pool = ? AND released_at IS NULL", List.of(pool));
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }

    private static String described(Allocation row) {
        return row.address() + " (" + row.holder().describe() + ")";
    }

    private static Duration reuseAfter(IPPoolSpec spec) {
        return Lifetime.parse(spec.reuseAfter().orElse(IPPoolSpec.DEFAULT_REUSE_AFTER));
    }

    private static void lockPool(Connection connection, String pool) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "drover-ip-pool/" + pool);
            lock.execute();
        }
    }

    private static void checkFence(Connection connection, LeaderFence fence) throws SQLException {
        if (!fence.fenced()) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT value FROM store_state WHERE key = 'leader_epoch' FOR SHARE");
             ResultSet row = select.executeQuery()) {
            long current = row.next() ? row.getLong(1) : 0L;
            if (current != fence.epoch()) {
                throw new StoreFailure(new SQLException("this replica is no longer the leader (its epoch is " + fence.epoch()
                        + ", the database's " + current + "); the elected replica allocates"));
            }
        }
    }

    private static void upsert(Connection connection, Allocation allocation) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO ip_allocations (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (pool, address) DO UPDATE SET "
                + "management_cluster = excluded.management_cluster, claim_uid = excluded.claim_uid, "
                + "claim_namespace = excluded.claim_namespace, claim_name = excluded.claim_name, team = excluded.team, "
                + "cluster = excluded.cluster, environment = excluded.environment, machine = excluded.machine, "
                + "allocated_at = excluded.allocated_at, released_at = NULL WHERE ip_allocations.released_at IS NOT NULL")) {
            int index = bind(upsert, 1, allocation.pool(), allocation.address(), allocation.holder());
            upsert.setTimestamp(index, Timestamp.from(allocation.allocatedAt()));
            if (upsert.executeUpdate() != 1) {
                // The lock makes this unreachable; if it ever is reached, nothing is handed out twice.
                throw new SQLException("address " + allocation.address() + " of pool " + allocation.pool() + " is held already");
            }
        }
    }

    private static void log(Connection connection, Instant at, String action, Allocation allocation) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ip_allocation_log (at, action, pool, address, "
                + "management_cluster, claim_uid, claim_namespace, claim_name, team, cluster, environment, machine) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(at));
            insert.setString(2, action);
            bind(insert, 3, allocation.pool(), allocation.address(), allocation.holder());
            insert.executeUpdate();
        }
    }

    private static int bind(PreparedStatement statement, int first, String pool, String address, Holder holder)
            throws SQLException {
        int index = first;
        for (String value : List.of(pool, address, holder.managementCluster(), holder.claimUid(), holder.claimNamespace(),
                holder.claimName(), holder.team(), holder.cluster(), holder.environment(), holder.machine())) {
            statement.setString(index++, value);
        }
        return index;
    }

    private static List<Allocation> select(Connection connection, String where, List<String> values) throws SQLException {
        List<Allocation> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM ip_allocations " + where
                + " ORDER BY released_at IS NOT NULL, pool, address")) {
            for (int index = 0; index < values.size(); index++) {
                select.setString(index + 1, values.get(index));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(allocation(row));
                }
            }
        }
        return rows;
    }

    private static Allocation allocation(ResultSet row) throws SQLException {
        Timestamp released = row.getTimestamp(12);
        return new Allocation(row.getString(1), row.getString(2), holder(row, 3), row.getTimestamp(11).toInstant(),
                Optional.ofNullable(released).map(Timestamp::toInstant));
    }

    private static Holder holder(ResultSet row, int first) throws SQLException {
        return new Holder(row.getString(first), row.getString(first + 1), row.getString(first + 2), row.getString(first + 3),
                row.getString(first + 4), row.getString(first + 5), row.getString(first + 6), row.getString(first + 7));
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.run(dataSource, work);
    }
}
