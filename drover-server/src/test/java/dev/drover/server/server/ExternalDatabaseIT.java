package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.store.EmbeddedPostgres;
import dev.drover.server.store.ListQuery;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.Kubectl;
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

    /**
     * Replicas in pods start on empty data directories: the admin token comes from a mounted Secret, is registered by the
     * first start and known to the next, and the file is never written.
     */
    @Test
    void podsOnEmptyDataDirectoriesShareTheAdminTokenOfTheirSecret() throws Exception {
        try (TemporaryDirectory databaseDirectory = new TemporaryDirectory("external-postgres-");
             TemporaryDirectory secret = new TemporaryDirectory("drover-admin-secret-");
             EmbeddedPostgres external = EmbeddedPostgres.start(databaseDirectory.path())) {
            String token = "drover_" + "k3Xq9".repeat(9);
            Path tokenFile = Files.writeString(secret.path().resolve("token"), token + "\n");
            Map<String, String> environment = Map.of("DROVER_DATABASE_URL", external.jdbcUrl(), "DROVER_DATABASE_USER",
                    external.user(), "DROVER_DATABASE_PASSWORD", external.password(), "DROVER_ADMIN_TOKEN_FILE", tokenFile.toString());
            for (String pod : new String[] {"drover-7c9f-a", "drover-7c9f-b"}) {
                try (TemporaryDirectory dataDirectory = new TemporaryDirectory(pod + "-");
                     DroverServer server = DroverServer.start(Configuration.resolve(Map.of(Option.DATA_DIR,
                             dataDirectory.path().toString(), Option.PORT, "0", Option.GIT_PORT, "0"), environment, Optional.empty()))) {
                    assertThat(Files.readString(server.kubeconfig())).contains(token);
                    assertThat(new Kubectl(server.kubeconfig()).run("get", "teams").exitCode()).isZero();
                    assertThat(Files.exists(dataDirectory.path().resolve("admin-token"))).isFalse();
                    DroverCli.Run tokens = DroverCli.run(server.kubeconfig(), "token", "list");
                    assertThat(tokens.out().lines().filter(line -> line.contains("platform-admin"))).as(tokens.out())
                            .singleElement().asString().contains("from --admin-token-file");
                }
            }
            assertThat(Files.readString(tokenFile)).isEqualTo(token + "\n");

            Files.writeString(tokenFile, "changeme\n");
            try (TemporaryDirectory dataDirectory = new TemporaryDirectory("drover-7c9f-c-")) {
                assertThatThrownBy(() -> DroverServer.start(Configuration.resolve(Map.of(Option.DATA_DIR,
                        dataDirectory.path().toString(), Option.PORT, "0", Option.GIT_PORT, "0"), environment, Optional.empty())))
                        .hasMessageContaining("--admin-token-file " + tokenFile).hasMessageContaining("openssl rand");
            }
        }
    }
}
