package dev.drover.server.testing;

import dev.drover.server.store.Database;
import dev.drover.server.store.EmbeddedPostgres;
import dev.drover.server.store.ResourceStore;
import java.time.Duration;

/** A store on an embedded PostgreSQL of its own, without a server; closing stops it and deletes its data. */
public final class TestStore implements AutoCloseable {

    private final TemporaryDirectory directory;
    private final EmbeddedPostgres postgres;
    private final Database database;
    private final ResourceStore store;

    private TestStore(TemporaryDirectory directory, EmbeddedPostgres postgres, Database database, ResourceStore store) {
        this.directory = directory;
        this.postgres = postgres;
        this.database = database;
        this.store = store;
    }

    /** @param changeRetention how long the change feed keeps changes; zero makes every compaction drop them all */
    public static TestStore start(String prefix, Duration changeRetention) throws Exception {
        var directory = new TemporaryDirectory(prefix);
        EmbeddedPostgres postgres = EmbeddedPostgres.start(directory.path());
        Database database = Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), 8);
        return new TestStore(directory, postgres, database, new ResourceStore(database.dataSource(), changeRetention, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    public ResourceStore store() {
        return store;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        store.close();
        database.close();
        postgres.close();
        directory.close();
    }
}
