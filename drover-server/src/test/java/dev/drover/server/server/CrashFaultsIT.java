package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The faults a crash test found, reproduced: Drover killed with SIGKILL leaves its embedded PostgreSQL running, and the
 * next start must stop that orphan and say so; PostgreSQL killed under a running Drover is restarted, readiness fails
 * at once meanwhile and requests answer 503 quickly; PostgreSQL's log is kept and its FATAL lines reach Drover's log.
 */
class CrashFaultsIT {

    @Test
    void aDroverKilledWithSigkillLeavesAPostgresTheNextStartStopsAndSaysSo() throws Exception {
        try (var data = new TemporaryDirectory("drover-crash-")) {
            Path log = data.path().resolve("first.log");
            Process first = drover(data.path(), log);
            awaitLine(log, "Drover is running.", first);
            long postmaster = postmasterPid(data.path());
            first.destroyForcibly().waitFor();
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("PostgreSQL outlives the killed Drover")
                    .contains(true);

            Path again = data.path().resolve("second.log");
            Process second = drover(data.path(), again);
            try {
                awaitLine(again, "Drover is running.", second);
                String output = Files.readString(again);
                assertThat(output).contains("a PostgreSQL (pid " + postmaster + ") still runs on ",
                        "the Drover that started it stopped without shutting it down (it was killed)",
                        "stopped the orphaned PostgreSQL (pid " + postmaster + ")");
                assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();

                // A second Drover on the same data directory is refused, naming the first, and touches nothing.
                Path third = data.path().resolve("third.log");
                Process refused = drover(data.path(), third);
                assertThat(refused.waitFor()).isNotZero();
                assertThat(Files.readString(third)).contains("another Drover (pid " + second.pid() + ") uses the data directory");

                // PostgreSQL's log is kept under the data directory, and its FATAL lines are repeated in Drover's.
                try (Stream<Path> logs = Files.list(data.path().resolve("postgres-log"))) {
                    assertThat(logs.map(file -> file.getFileName().toString())).anyMatch(name -> name.startsWith("postgresql-"));
                }
                int port = Integer.parseInt(Files.readAllLines(data.path().resolve("postgres/postmaster.pid")).get(3).trim());
                // Local connections prove the generated password, kept readable by the owner only.
                Path passwordFile = data.path().resolve("postgres-password");
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                        .isEqualTo("rw-------");
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data.path())))
                        .isEqualTo("rwx------");
                try {
                    java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "guess");
                    throw new AssertionError("the embedded PostgreSQL let in a connection without its password");
                } catch (java.sql.SQLException expected) {
                    assertThat(expected.getMessage()).contains("password authentication failed");
                }
                try {
                    java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/no_such_database", "postgres",
                            Files.readString(passwordFile).strip());
                } catch (java.sql.SQLException expected) {
                    assertThat(expected.getMessage()).contains("no_such_database");
                }
                awaitLine(again, "FATAL:  database \"no_such_database\" does not exist", second);
            } finally {
                second.destroy();
                second.waitFor();
            }
        }
    }

    @Test
    void postgresKilledUnderARunningDroverIsStartedAgainAndDroverGoesOn() throws Exception {
        try (TestDrover drover = TestDrover.startFreshWithExamples()) {
            Kubectl kubectl = new Kubectl(drover.kubeconfig());
            kubectl.run("get", "clusters", "-A").succeeded();
            Path data = drover.server().kubeconfig().getParent();
            long killed = postmasterPid(data);
            // Under write load: the store's writer is in a transaction when PostgreSQL goes.
            var load = Thread.ofPlatform().start(() -> {
                for (int index = 0; index < 40; index++) {
                    kubectl.run("label", "cluster", "search-dev", "-n", "search", "load=" + index, "--overwrite");
                }
            });
            Thread.sleep(300);
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            load.join();

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (postmasterPid(data) == killed || kubectl.run("get", "clusters", "-A").exitCode() != 0) {
                assertThat(System.nanoTime()).as("PostgreSQL started again within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(kubectl.run("get", "--raw", "/readyz?verbose").succeeded().out()).contains("[+]embedded-postgres ok");
            Kubectl.Result written = kubectl.runWithInput("""
                    apiVersion: platform.drover.dev/v1alpha1
                    kind: Cluster
                    metadata: {name: after-restart, namespace: search}
                    spec: {flavor: vcluster-dev, environment: development}
                    """, "apply", "-f", "-");
            assertThat(written.exitCode()).as("a write after the restart: " + written.err() + "; the store's threads:\n"
                    + storeThreads()).isZero();
            fleetCommits(kubectl, "search/after-restart");
        }
    }

    @Test
    void withItsDatabaseDownRequestsAnswer503WithinSecondsAndReadinessFails() throws Exception {
        try (var databaseDirectory = new TemporaryDirectory("crash-external-postgres-");
             var dataDirectory = new TemporaryDirectory("drover-crash-external-")) {
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var database = external(databaseDirectory.path(), port);
            Map<Option, String> flags = new EnumMap<>(Option.class);
            flags.put(Option.DATA_DIR, dataDirectory.path().toString());
            flags.put(Option.PORT, "0");
            flags.put(Option.GIT_PORT, "0");
            flags.put(Option.EXAMPLES, "false");
            Configuration configuration = Configuration.resolve(flags, Map.of("DROVER_DATABASE_URL",
                    "jdbc:postgresql://localhost:" + port + "/postgres", "DROVER_DATABASE_USER", "postgres"), Optional.empty());
            try (DroverServer server = DroverServer.start(configuration)) {
                Kubectl kubectl = new Kubectl(server.kubeconfig());
                kubectl.run("get", "teams").succeeded();
                database.close();

                long started = System.nanoTime();
                Kubectl.Result refused = kubectl.run("get", "teams", "--request-timeout=20s");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.err()).contains("the store is unavailable; nothing was written; retry");
                assertThat(took).as("refused within seconds, not after a 30 s pool timeout").isLessThan(Duration.ofSeconds(10));
                started = System.nanoTime();
                assertThat(kubectl.run("get", "--raw", "/readyz?verbose").exitCode()).isNotZero();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

                database = external(databaseDirectory.path(), port);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (kubectl.run("get", "teams").exitCode() != 0) {
                    assertThat(System.nanoTime()).as("Drover serves again once its database is back").isLessThan(deadline);
                    Thread.sleep(200);
                }
            } finally {
                database.close();
            }
        }
    }

    /** A PostgreSQL Drover did not start, on a fixed port, that the test stops and starts. */
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres external(Path directory, int port) throws IOException {
        return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(directory.resolve("data"))
                .setCleanDataDirectory(false).setPort(port).start();
    }

    /** The controllers go on too: the new Cluster gets its commit. */
    private static void fleetCommits(Kubectl kubectl, String cluster) throws InterruptedException {
        String[] name = cluster.split("/");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (kubectl.run("get", "cluster", name[1], "-n", name[0], "-o", "jsonpath={.status.git.commit}").out().isBlank()) {
            assertThat(System.nanoTime()).as(cluster + " committed after the restart; the store's threads:\n" + storeThreads())
                    .isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    /** Where the store's threads are, for a failure that hangs. */
    private static String storeThreads() {
        var text = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("drover-store")) {
                text.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    text.append("    at ").append(frame).append('\n');
                }
            }
        });
        return text.toString();
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).getFirst().trim());
    }

    /** A Drover server in a JVM of its own, its output in {@code log}. */
    private static Process drover(Path data, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                dev.drover.server.cli.DroverCommand.class.getName(), "server", "--data-dir", data.toString(), "--port", "0", "--git-port", "0",
                "--examples", "false"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitLine(Path log, String line, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(log) || !Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
            assertThat(System.nanoTime()).as("\"" + line + "\" in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""))
                    .isLessThan(deadline);
            assertThat(Optional.of(process).filter(Process::isAlive)).as("the Drover process ended:\n" + Files.readString(log))
                    .isPresent();
            Thread.sleep(200);
        }
    }
}
