package dev.drover.server.store;

import dev.drover.model.error.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fencing token of the controllers' writes. Each election takes the next leader epoch in the database; the
 * controllers' writes check, in their own transaction and holding a share lock on it, that the epoch is still theirs.
 * A replica that lost the leadership without noticing yet (a long pause, a partition healing) then cannot write a
 * status its successor does not know of: its write is refused, and the successor's election waits for any write that
 * checked the old epoch to commit first.
 */
public final class LeaderFence {

    private final boolean fenced;
    private volatile long epoch = -1;

    private LeaderFence(boolean fenced) {
        this.fenced = fenced;
    }

    /** For the only replica on its database (the embedded PostgreSQL): nothing to fence against. */
    public static LeaderFence none() {
        return new LeaderFence(false);
    }

    /** For a replica that takes part in elections; its writes are refused until it has been elected. */
    public static LeaderFence elected() {
        return new LeaderFence(true);
    }

    /** Takes the next epoch, in the session that holds the leader's lock, and makes it this replica's. */
    public void takeNextEpoch(Connection session) throws SQLException {
        try (PreparedStatement next = session.prepareStatement(
                "UPDATE store_state SET value = value + 1 WHERE key = 'leader_epoch' RETURNING value");
             ResultSet row = next.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("store_state has no leader_epoch; the database's migrations did not run");
            }
            epoch = row.getLong(1);
        }
    }

    /** Whether writes are checked against the database's epoch (replicas on a shared database). */
    public boolean fenced() {
        return fenced;
    }

    public long epoch() {
        return epoch;
    }

    /** @throws ApiException Conflict when another replica was elected after this one */
    public void check(WriteTransaction transaction) {
        if (!fenced) {
            return;
        }
        long current = transaction.leaderEpoch();
        if (current != epoch) {
            throw new ApiException(ApiException.Reason.CONFLICT, "this replica is no longer the leader (its epoch is " + epoch
                    + ", the database's " + current + "): a controller's write was refused; the elected replica writes");
        }
    }
}
