package dev.drover.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A migrated PostgreSQL database behind a connection pool. */
public final class Database implements AutoCloseable {

    /** Flyway's checksums of V1__resources.sql as the first release shipped it, and as a later release edited it. */
    static final int FIRST_RELEASE_V1_CHECKSUM = 775596035;
    static final int EDITED_V1_CHECKSUM = 1205018185;

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Connects and brings the schema up to date. */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("drover-store");
        config.setInitializationFailTimeout(30_000);
        // A request waits at most this for a connection: with the database down, it answers 503 at once, not after 30 s.
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        var dataSource = new HikariDataSource(config);
        try {
            realignEditedFirstMigration(dataSource);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (SQLException | RuntimeException migrationFailed) {
            dataSource.close();
            if (migrationFailed instanceof SQLException sql) {
                throw new StoreFailure(sql);
            }
            throw (RuntimeException) migrationFailed;
        }
        return new Database(dataSource);
    }

    /** The pool's meters (hikaricp_connections_*) go to the registry. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry metrics) {
        dataSource.setMetricRegistry(metrics);
    }

    /**
     * One release shipped V1 with the usage_totals table added in place; its databases record that file's checksum.
     * V1 is the first release's again and V2 adds the table if it is missing, so such a database records the first
     * release's checksum instead and migrates on. Any other checksum mismatch still stops the start, as it should.
     */
    private static void realignEditedFirstMigration(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (ResultSet tables = connection.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!tables.next()) {
                    return;
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE flyway_schema_history SET checksum = ? WHERE version = '1' AND checksum = ?")) {
                update.setInt(1, FIRST_RELEASE_V1_CHECKSUM);
                update.setInt(2, EDITED_V1_CHECKSUM);
                update.executeUpdate();
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
