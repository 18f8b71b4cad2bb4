package dev.drover.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One transaction on a connection of its own, for the tables beside the objects (IP allocations, the outbox). */
final class Transactions {

    /** What runs in the transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /** Commits what the work did, or rolls it back when it throws. @throws StoreFailure when the database fails */
    static <T> T run(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException failed) {
                connection.rollback();
                throw failed;
            }
        } catch (SQLException failed) {
            throw new StoreFailure(failed);
        }
    }
}
