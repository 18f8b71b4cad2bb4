package dev.drover.server.server;

import dev.drover.server.store.LeaderFence;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica of several on one database runs the controllers: the one holding a PostgreSQL session-level advisory
 * lock on a connection of its own. The others try every {@link #ATTEMPT_EVERY}; PostgreSQL releases the lock as soon
 * as the holder's session ends (the process died, its connection closed), so a standby takes over within about that.
 * The leader checks its session at the same pace; once it cannot (the database restarted, the network went), another
 * replica may hold the lock, so it stops its controllers at once — nothing it decided after that reaches the store
 * or Git — and never leads again in this process: {@code /livez} then fails, so that the orchestrator restarts it.
 */
final class Leadership implements AutoCloseable {

    static final Duration ATTEMPT_EVERY = Duration.ofSeconds(2);
    /** The lock's key: the same for every replica of one database. */
    private static final long LOCK_KEY = 0x44524f564552L;
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final String url;
    private final Properties credentials;
    private final Supplier<AutoCloseable> lead;
    private final LeaderFence fence;
    private final Thread elector;
    private volatile boolean closed;
    private volatile State state = State.STANDBY;
    private volatile Optional<Instant> lostAt = Optional.empty();
    private Connection session;
    private AutoCloseable controllers;

    /** Standby until elected; leader; deposed for good. */
    enum State { STANDBY, LEADER, DEPOSED }

    private Leadership(String url, String user, String password, LeaderFence fence, Supplier<AutoCloseable> lead) {
        this.fence = fence;
        this.url = url;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        // A dead server is noticed by the checks, not by a read that waits forever.
        credentials.setProperty("socketTimeout", "10");
        credentials.setProperty("tcpKeepAlive", "true");
        this.lead = lead;
        this.elector = Thread.ofPlatform().name("drover-leader-election").daemon().unstarted(this::elect);
    }

    /** Takes part in the election; {@code lead} starts the controllers once this replica is elected. */
    static Leadership start(String url, String user, String password, LeaderFence fence, Supplier<AutoCloseable> lead,
                            MeterRegistry metrics) {
        var leadership = new Leadership(url, user, password, fence, lead);
        Gauge.builder("drover.leader", leadership, held -> held.state == State.LEADER ? 1 : 0)
                .description("Whether this replica runs the controllers (1) or stands by (0)").register(metrics);
        leadership.elector.start();
        return leadership;
    }

    /** Whether this replica runs the controllers now. */
    boolean leading() {
        return state == State.LEADER;
    }

    /** When this replica lost the leadership, if it did. */
    Optional<Instant> lostAt() {
        return lostAt;
    }

    private void elect() {
        while (!closed && state != State.DEPOSED) {
            try {
                if (state == State.STANDBY) {
                    tryToLead();
                } else if (!sessionAlive()) {
                    stepDown("its database session ended");
                }
            } catch (SQLException failed) {
                if (state == State.LEADER) {
                    stepDown(failed.getMessage());
                } else {
                    LOG.debug("leader election: {}", failed.getMessage());
                    closeSession();
                }
            }
            try {
                Thread.sleep(ATTEMPT_EVERY);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private void tryToLead() throws SQLException {
        if (session == null || session.isClosed()) {
            session = DriverManager.getConnection(url, credentials);
        }
        try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    return;
                }
            }
        }
        fence.takeNextEpoch(session);
        LOG.info("elected leader (epoch {}): the controllers run on this replica", fence.epoch());
        state = State.LEADER;
        controllers = lead.get();
    }

    private boolean sessionAlive() throws SQLException {
        return session != null && session.isValid((int) ATTEMPT_EVERY.toSeconds());
    }

    private void stepDown(String why) {
        state = State.DEPOSED;
        lostAt = Optional.of(Instant.now());
        LOG.error("lost the leadership ({}): another replica may lead now, so this one stops its controllers and does not "
                + "lead again; /livez fails until it is restarted", why);
        closeControllers();
        closeSession();
    }

    private void closeControllers() {
        if (controllers != null) {
            try {
                controllers.close();
            } catch (Exception failed) {
                LOG.warn("stopping the controllers: {}", failed.toString());
            }
            controllers = null;
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // The session is gone either way; PostgreSQL releases its lock with it.
            }
            session = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        elector.interrupt();
        try {
            elector.join(10_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        closeControllers();
        closeSession();
    }
}
