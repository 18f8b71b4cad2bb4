package dev.drover.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server started by Drover from the binaries on its class path, keeping its data under the
 * data directory so that a restart finds everything again.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    public static EmbeddedPostgres start(Path dataDirectory) {
        try {
            Path postgresData = dataDirectory.resolve("postgres");
            Files.createDirectories(postgresData);
            return new EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(postgresData)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dataDirectory.resolve("postgres-runtime").toFile())
                    .setServerConfig("max_connections", "100")
                    // The library's defaults suit throw-away test databases; Drover's store must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start());
        } catch (IOException | IllegalStateException startFailed) {
            throw new IllegalStateException("could not start the embedded PostgreSQL under " + dataDirectory + " ("
                    + startFailed.getMessage() + "); if another Drover uses this data directory, stop it or pass a "
                    + "different --data-dir", startFailed);
        }
    }

    public String jdbcUrl() {
        String url = server.getJdbcUrl("postgres", "postgres");
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException stopFailed) {
            throw new UncheckedIOException(stopFailed);
        }
    }
}
