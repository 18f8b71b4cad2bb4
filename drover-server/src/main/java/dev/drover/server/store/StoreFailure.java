package dev.drover.server.store;

import java.sql.SQLException;

/** The database failed (unreachable, or an unexpected SQL error); the write did not happen. */
public final class StoreFailure extends RuntimeException {
    public StoreFailure(SQLException cause) {
        super("the store's database failed: " + cause.getMessage(), cause);
    }
}
