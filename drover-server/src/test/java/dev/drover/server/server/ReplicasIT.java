package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TemporaryDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one PostgreSQL and one Git remote: both serve the API, one runs the controllers; when it goes, the
 * other takes over within 15 s, commits what came meanwhile and pushes it, and no status names a commit the remote
 * lacks.
 */
class ReplicasIT {

    @Test
    void theStandbyTakesOverWhenTheLeaderGoesAndTheRemoteHasEveryCommitAStatusNames() throws Exception {
        try (var shared = new Shared();
             var first = new TemporaryDirectory("replica-a-");
             var second = new TemporaryDirectory("replica-b-")) {
            int port = shared.port;
            Path remote = shared.remote;
            try (var database = shared.database();
                 DroverServer leader = DroverServer.start(configuration(first.path(), port, remote));
                 DroverServer standby = DroverServer.start(configuration(second.path(), port, remote))) {
                ExampleOrganisation.loadOnFirstStart(leader, ExampleOrganisation.Selection.ALL);
                Kubectl viaLeader = new Kubectl(leader.kubeconfig());
                Kubectl viaStandby = new Kubectl(standby.kubeconfig());
                assertThat(metric(viaLeader, "drover_leader")).isEqualTo("1.0");
                assertThat(metric(viaStandby, "drover_leader")).isEqualTo("0.0");
                awaitCommitted(viaStandby, "payments", "payments-prod");
                String pushed = GitCli.run(remote, "rev-parse", "main").succeeded().output().strip();
                long pushedAt = System.nanoTime();
                while (!headServedBy(standby).equals(pushed)) {
                    assertThat(Duration.ofNanos(System.nanoTime() - pushedAt)).as("the standby's git port serves the remote's head")
                            .isLessThan(Duration.ofSeconds(35));
                    Thread.sleep(200);
                }

                leader.close();
                long gone = System.nanoTime();
                while (!metric(viaStandby, "drover_leader").equals("1.0")) {
                    assertThat(Duration.ofNanos(System.nanoTime() - gone)).as("the standby leads within 15 s")
                            .isLessThan(Duration.ofSeconds(15));
                    Thread.sleep(200);
                }
                System.out.printf("takeover after %d ms%n", Duration.ofNanos(System.nanoTime() - gone).toMillis());

                viaStandby.runWithInput("""
                        apiVersion: platform.drover.dev/v1alpha1
                        kind: Cluster
                        metadata: {name: after-takeover, namespace: search}
                        spec: {flavor: vcluster-dev, environment: development}
                        """, "apply", "-f", "-").succeeded();
                awaitCommitted(viaStandby, "search", "after-takeover");
                String log = GitCli.run(remote, "log", "--format=%H %s", "main").succeeded().output();
                assertThat(log).contains("Update cluster search/after-takeover");
                GitCli.run(remote, "fsck", "--strict").succeeded();
                assertThat(GitCli.run(remote, "ls-tree", "--name-only", "main:management/aws/clusters/payments/payments-prod")
                        .succeeded().output()).as("the first leader's files are still there").isNotBlank();
                // Every commit a Cluster's status names is on the remote.
                String commits = viaStandby.run("get", "clusters", "-A", "-o",
                        "jsonpath={range .items[*]}{.status.git.commit}{\"\\n\"}{end}").succeeded().out();
                for (String commit : commits.strip().split("\n")) {
                    GitCli.run(remote, "cat-file", "-e", commit + "^{commit}").succeeded();
                }
            }
        }
    }

    @Test
    void aLeaderWhoseSessionEndsStopsItsControllersFailsLivezAndTheStandbyLeads() throws Exception {
        try (var shared = new Shared();
             var first = new TemporaryDirectory("replica-a-");
             var second = new TemporaryDirectory("replica-b-")) {
            int port = shared.port;
            Path remote = shared.remote;
            try (var database = shared.database();
                 DroverServer leader = DroverServer.start(configuration(first.path(), port, remote));
                 DroverServer standby = DroverServer.start(configuration(second.path(), port, remote))) {
                Kubectl viaLeader = new Kubectl(leader.kubeconfig());
                Kubectl viaStandby = new Kubectl(standby.kubeconfig());
                assertThat(metric(viaLeader, "drover_leader")).isEqualTo("1.0");
                // The database ends the leader's session, as a failover or a network partition would.
                try (var admin = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
                     var terminate = admin.createStatement()) {
                    terminate.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (!metric(viaStandby, "drover_leader").equals("1.0")) {
                    assertThat(System.nanoTime()).as("the standby leads within 15 s").isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(metric(viaLeader, "drover_leader")).isEqualTo("0.0");
                Kubectl.Result livez = viaLeader.run("get", "--raw", "/livez");
                assertThat(livez.exitCode()).isNotZero();
                assertThat(viaLeader.run("get", "--raw", "/readyz").exitCode()).as("it still serves the API").isZero();
                // The deposed replica still serves the API; the new leader commits what it is asked.
                viaLeader.runWithInput("""
                        apiVersion: platform.drover.dev/v1alpha1
                        kind: Team
                        metadata: {name: late}
                        spec: {environments: [{name: development}]}
                        """, "apply", "-f", "-").succeeded();
                long committed = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!GitCli.run(remote, "log", "--format=%s", "main").output().contains("Update shared files")
                        && !GitCli.run(remote, "ls-tree", "-r", "--name-only", "main").output().contains("late")) {
                    assertThat(System.nanoTime()).as("the new leader commits and pushes").isLessThan(committed);
                    Thread.sleep(300);
                }
            }
        }
    }

    @Test
    void aLeaderKilledWithSigkillUnderWritesIsReplacedWithinSeconds() throws Exception {
        try (var shared = new Shared();
             var first = new TemporaryDirectory("replica-a-");
             var second = new TemporaryDirectory("replica-b-")) {
            int port = shared.port;
            Path remote = shared.remote;
            try (var database = shared.database()) {
                // The leader in a JVM of its own, so that it can be killed as a crash would.
                Path log = first.path().resolve("leader.log");
                Path java = Path.of(System.getProperty("java.home"), "bin", "java");
                Process leader = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        dev.drover.server.cli.DroverCommand.class.getName(), "server", "--data-dir", first.path().resolve("data").toString(),
                        "--port", "0", "--git-port", "0", "--git-remote-url", remote.toUri().toString(),
                        "--database-url", "jdbc:postgresql://localhost:" + port + "/postgres", "--examples", "false")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                try {
                    long started = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (!Files.exists(log) || !Files.readString(log).contains("elected leader")) {
                        assertThat(System.nanoTime()).as("the first replica leads:\n" + (Files.exists(log) ? Files.readString(log) : ""))
                                .isLessThan(started);
                        Thread.sleep(200);
                    }
                    try (DroverServer standby = DroverServer.start(configuration(second.path(), port, remote))) {
                        Kubectl viaStandby = new Kubectl(standby.kubeconfig());
                        assertThat(metric(viaStandby, "drover_leader")).isEqualTo("0.0");
                        ExampleOrganisation.load(standby.url(), standby.certificatePem(), standby.adminToken(),
                                ExampleOrganisation.Selection.ALL);
                        leader.destroyForcibly().waitFor();
                        long killed = System.nanoTime();
                        while (!metric(viaStandby, "drover_leader").equals("1.0")) {
                            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("the standby leads within 15 s of the kill")
                                    .isLessThan(Duration.ofSeconds(15));
                            Thread.sleep(100);
                        }
                        System.out.printf("takeover %d ms after kill -9 of the leader%n",
                                Duration.ofNanos(System.nanoTime() - killed).toMillis());
                        awaitCommitted(viaStandby, "payments", "payments-prod");
                        GitCli.run(remote, "fsck", "--strict").succeeded();
                    }
                } finally {
                    leader.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** The branch head a replica's git port serves, as a GitOps engine would see it. */
    private static String headServedBy(DroverServer replica) {
        String listed = GitCli.run(Path.of("."), "-c", "http.extraHeader=Authorization: Bearer " + replica.adminToken(), "ls-remote",
                replica.gitUrl(), "refs/heads/main").succeeded().output();
        return listed.isBlank() ? "" : listed.strip().split("\\s+")[0];
    }

    /** What the replicas share: a PostgreSQL on a port of its own, and a bare Git remote. */
    static final class Shared implements AutoCloseable {
        final TemporaryDirectory directory = new TemporaryDirectory("replicas-shared-");
        final int port;
        final Path remote;

        Shared() throws java.io.IOException {
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            remote = directory.path().resolve("fleet.git");
            GitCli.run(directory.path(), "init", "--bare", "--quiet", "--initial-branch=main", remote.toString()).succeeded();
        }

        io.zonky.test.db.postgres.embedded.EmbeddedPostgres database() throws java.io.IOException {
            return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(directory.path().resolve("data"))
                    .setCleanDataDirectory(false).setPort(port).start();
        }

        @Override
        public void close() {
            directory.close();
        }
    }

    private static Configuration configuration(Path data, int port, Path remote) {
        return configuration(data, port, remote, Map.of());
    }

    static Configuration configuration(Path data, int port, Path remote, Map<Option, String> more) {
        Map<Option, String> flags = new EnumMap<>(Option.class);
        flags.putAll(more);
        flags.put(Option.DATA_DIR, data.toString());
        flags.put(Option.PORT, "0");
        flags.put(Option.GIT_PORT, "0");
        flags.put(Option.GIT_REMOTE_URL, remote.toUri().toString());
        flags.put(Option.FLEET_URL, "https://git.example.com/fleet.git");
        return Configuration.resolve(flags, Map.of("DROVER_DATABASE_URL", "jdbc:postgresql://localhost:" + port + "/postgres",
                "DROVER_DATABASE_USER", "postgres", "DROVER_GIT_REMOTE_TOKEN", "unused"), Optional.empty());
    }

    private static String metric(Kubectl kubectl, String name) {
        for (String line : kubectl.run("get", "--raw", "/metrics").succeeded().out().split("\n")) {
            if (line.startsWith(name + " ")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    private static void awaitCommitted(Kubectl kubectl, String team, String cluster) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (kubectl.run("get", "cluster", cluster, "-n", team, "-o", "jsonpath={.status.git.commit}").out().isBlank()) {
            assertThat(System.nanoTime()).as(team + "/" + cluster + " committed").isLessThan(deadline);
            Thread.sleep(300);
        }
    }
}
