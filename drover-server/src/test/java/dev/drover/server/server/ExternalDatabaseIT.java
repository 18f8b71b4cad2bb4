package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.store.EmbeddedPostgres;
import dev.drover.server.store.ListQuery;
import dev.drover.server.testing.TemporaryDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --database-url} points Drover at a PostgreSQL it did not start, which keeps its data across restarts. */
class ExternalDatabaseIT {

    @Test
    void runsOnAnExternalPostgresAndFindsItsDataAfterARestart() throws Exception {
        try (TemporaryDirectory databaseDirectory = new TemporaryDirectory("external-postgres-");
             TemporaryDirectory dataDirectory = new TemporaryDirectory("drover-external-");
             EmbeddedPostgres external = EmbeddedPostgres.start(databaseDirectory.path())) {
            Map<Option, String> flags = new EnumMap<>(Option.class);
            flags.put(Option.DATA_DIR, dataDirectory.path().toString());
            flags.put(Option.PORT, "0");
            flags.put(Option.GIT_PORT, "0");
            Map<String, String> environment = Map.of(
                    "DROVER_DATABASE_URL", external.jdbcUrl(),
                    "DROVER_DATABASE_USER", external.user(), "DROVER_DATABASE_PASSWORD", external.password());
            Configuration configuration = Configuration.resolve(flags, environment, Optional.empty());
            assertThat(configuration.value(Option.DATABASE_URL).source()).isEqualTo(Configuration.Source.ENVIRONMENT);

            try (DroverServer server = DroverServer.start(configuration)) {
                ExampleOrganisation.loadOnFirstStart(server, ExampleOrganisation.Selection.ALL);
                assertThat(Files.exists(Path.of(flags.get(Option.DATA_DIR), "postgres"))).as("no embedded database").isFalse();
            }
            try (DroverServer restarted = DroverServer.start(configuration)) {
                assertThat(restarted.store().list(ListQuery.all("Cluster")).items()).hasSize(10);
            }
        }
    }
}
