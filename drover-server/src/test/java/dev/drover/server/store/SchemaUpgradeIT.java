package dev.drover.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.testing.TemporaryDirectory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Databases made by earlier releases migrate to the current schema: the first release's (V1 without usage totals)
 * and the one that shipped V1 edited in place (with the usage totals table, and another checksum).
 */
class SchemaUpgradeIT {

    @Test
    void aFirstReleaseDatabaseGetsItsUsageTotalsCountedFromTheStoredObjects() throws Exception {
        try (TemporaryDirectory directory = new TemporaryDirectory("schema-first-");
             EmbeddedPostgres postgres = EmbeddedPostgres.start(directory.path())) {
            Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password()).locations("classpath:db/migration")
                    .target("1").load().migrate();
            execute(postgres, """
                    INSERT INTO resources VALUES
                      ('Cluster', 'payments', 'a', 1, '{}', '{"maxNodes": 5}', '{}'),
                      ('Cluster', 'payments', 'b', 2, '{}', '{"maxNodes": 7, "monthlyCostCents": 1000}', '{}'),
                      ('Team', '', 'payments', 3, '{}', '{}', '{}')""");

            try (Database database = Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), 2)) {
                assertThat(query(database, "SELECT object_count || '/' || total FROM usage_totals "
                        + "WHERE kind = 'Cluster' AND namespace = 'payments' AND attribute = 'maxNodes'")).isEqualTo("2/12");
                assertThat(query(database, "SELECT object_count || '/' || total FROM usage_totals "
                        + "WHERE attribute = 'monthlyCostCents'")).isEqualTo("1/1000");
                assertThat(query(database, "SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) "
                        + "FROM flyway_schema_history")).isEqualTo("1:true,2:true,3:true,4:true,5:true,6:true,7:true");
            }
        }
    }

    @Test
    void aDatabaseFromTheReleaseWithTheEditedFirstMigrationKeepsItsTotalsAndMigrates() throws Exception {
        try (TemporaryDirectory directory = new TemporaryDirectory("schema-edited-");
             EmbeddedPostgres postgres = EmbeddedPostgres.start(directory.path())) {
            Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password()).locations("classpath:db/edited-v1")
                    .load().migrate();
            execute(postgres, """
                    INSERT INTO resources VALUES ('Cluster', 'payments', 'a', 1, '{}', '{"maxNodes": 5}', '{}');
                    INSERT INTO usage_totals VALUES ('Cluster', 'payments', 'maxNodes', 1, 5)""");
            assertThat(queryOn(postgres, "SELECT checksum FROM flyway_schema_history WHERE version = '1'"))
                    .isEqualTo(Integer.toString(Database.EDITED_V1_CHECKSUM));

            try (Database database = Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), 2)) {
                assertThat(query(database, "SELECT object_count || '/' || total FROM usage_totals")).isEqualTo("1/5");
                assertThat(query(database, "SELECT checksum FROM flyway_schema_history WHERE version = '1'"))
                        .isEqualTo(Integer.toString(Database.FIRST_RELEASE_V1_CHECKSUM));
            }
        }
    }

    @Test
    void storedAddonProfilesLoseTheDerivedOciFieldAndKeepEverythingElseInOrder() throws Exception {
        try (TemporaryDirectory directory = new TemporaryDirectory("schema-oci-");
             EmbeddedPostgres postgres = EmbeddedPostgres.start(directory.path())) {
            Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password()).locations("classpath:db/migration")
                    .target("2").load().migrate();
            execute(postgres, """
                    INSERT INTO resources VALUES ('AddonProfile', '', 'observability', 4, '{}', '{}',
                      '{"apiVersion":"platform.drover.dev/v1alpha1","kind":"AddonProfile","metadata":{"name":"observability"},'
                      || '"spec":{"addons":[{"name":"stack","chart":{"repository":"oci://ghcr.io/charts","name":"stack","oci":true}}]}}')""");

            try (Database database = Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), 2)) {
                assertThat(query(database, "SELECT body FROM resources WHERE name = 'observability'")).isEqualTo(
                        "{\"apiVersion\":\"platform.drover.dev/v1alpha1\",\"kind\":\"AddonProfile\",\"metadata\":{\"name\":\"observability\"},"
                        + "\"spec\":{\"addons\":[{\"name\":\"stack\",\"chart\":{\"repository\":\"oci://ghcr.io/charts\",\"name\":\"stack\"}}]}}");
            }
        }
    }

    private static void execute(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String queryOn(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            return single(connection, sql);
        }
    }

    private static String query(Database database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            return single(connection, sql);
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as(sql).isTrue();
            return result.getString(1);
        }
    }
}
