package dev.drover.server.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.server.DroverServer;
import dev.drover.server.server.ExampleOrganisation;
import dev.drover.server.store.EmbeddedPostgres;
import dev.drover.server.tls.ServingCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two replicas on one PostgreSQL and one Git remote, in one JVM on this machine (as two pods on one node): creates
 * spread over both, how soon a watch on the standby sees a create made on the leader, how long until the leader has
 * committed and pushed every Cluster, how soon the standby's git port serves the pushed head, and the takeover after
 * the leader stops. {@code make bench-replicas}; option {@code --clusters N} (default 1,000, as {@code make bench-fleet}).
 */
public final class ReplicasBenchmark {

    private static final String API = "/apis/platform.drover.dev/v1alpha1";

    /** A client per replica by its URL: without a certificate of their own, each serves a self-signed one. */
    private final Map<String, HttpClient> clients;
    private final String token;

    private ReplicasBenchmark(List<DroverServer> replicas, String token) {
        this.clients = Map.copyOf(replicas.stream().collect(java.util.stream.Collectors.toMap(DroverServer::url,
                replica -> HttpClient.newBuilder().sslContext(ServingCertificate.trusting(replica.certificatePem())).build())));
        this.token = token;
    }

    public static void main(String[] arguments) throws Exception {
        int clusters = arguments.length > 1 && arguments[0].equals("--clusters") ? Integer.parseInt(arguments[1]) : 1_000;
        Path work = Files.createTempDirectory("drover-bench-replicas-");
        Path remote = work.resolve("fleet.git");
        new ProcessBuilder("git", "init", "--bare", "--quiet", "--initial-branch=main", remote.toString()).inheritIO().start().waitFor();
        try (EmbeddedPostgres database = EmbeddedPostgres.start(work.resolve("postgres"));
             DroverServer leader = DroverServer.start(configuration(work.resolve("a"), database, remote));
             DroverServer standby = DroverServer.start(configuration(work.resolve("b"), database, remote))) {
            System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; two replicas in one JVM, -Xmx%d MiB%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
            ExampleOrganisation.loadOnFirstStart(leader, ExampleOrganisation.Selection.ALL);
            var benchmark = new ReplicasBenchmark(List.of(leader, standby), leader.adminToken());
            for (int team = 0; team < ApiBenchmark.FLEET_TEAMS; team++) {
                benchmark.send("POST", leader.url() + API + "/teams", ApiBenchmark.fleetTeamJson(team(team)));
            }
            benchmark.run(clusters, leader, standby, remote);
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
        }
    }

    private void run(int clusters, DroverServer leader, DroverServer standby, Path remote) throws Exception {
        Map<String, Long> seenOnStandby = new ConcurrentHashMap<>();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> watch(standby.url(), seenOnStandby));
        Thread.sleep(500);

        Map<String, Long> createdOnLeader = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> creates = new ArrayList<>();
            for (int number = 0; number < clusters; number++) {
                int each = number;
                creates.add(clients.submit(() -> {
                    String name = "fleet-cluster-" + each;
                    DroverServer via = each % 2 == 0 ? leader : standby;
                    send("POST", via.url() + API + "/namespaces/" + team(each) + "/clusters", ApiBenchmark.fleetClusterJson(each));
                    if (via == leader) {
                        createdOnLeader.put(name, System.nanoTime());
                    }
                    return null;
                }));
            }
            for (Future<?> create : creates) {
                create.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "creates over both replicas (8 clients, half each): %d in %.1f s, %.0f/s%n", clusters,
                seconds, clusters / seconds);

        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        // The watch begins with the Clusters that were there (the examples): wait for every one created here.
        while (!seenOnStandby.keySet().containsAll(createdOnLeader.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<Double> delays = new ArrayList<>();
        createdOnLeader.forEach((name, at) -> {
            Long seen = seenOnStandby.get(name);
            if (seen != null) {
                delays.add(Math.max(0, seen - at) / 1e6);
            }
        });
        System.out.printf(Locale.ROOT, "a create on the leader seen by a watch on the standby: p50 %.1f ms, p99 %.1f ms (%d of %d)%n",
                ApiBenchmark.percentile(delays, 50), ApiBenchmark.percentile(delays, 99), delays.size(), createdOnLeader.size());
        watcher.interrupt();

        for (long count = committed(leader), shown = System.nanoTime(); count < clusters; count = committed(leader)) {
            if (System.nanoTime() - shown > Duration.ofSeconds(10).toNanos()) {
                System.out.printf(Locale.ROOT, "  %d of %d committed%n", count, clusters);
                shown = System.nanoTime();
            }
            Thread.sleep(1_000);
        }
        System.out.printf(Locale.ROOT, "every Cluster committed and pushed by the leader %.1f s after the first create%n",
                (System.nanoTime() - started) / 1e9);
        String pushed = git(remote, "rev-parse", "main");
        long pushedAt = System.nanoTime();
        while (!servedHead(standby).equals(pushed)) {
            Thread.sleep(20);
        }
        System.out.printf(Locale.ROOT, "the standby's git port serves the pushed head after %d ms%n",
                Duration.ofNanos(System.nanoTime() - pushedAt).toMillis());

        leader.close();
        long gone = System.nanoTime();
        while (!metric(standby, "drover_leader").equals("1.0")) {
            Thread.sleep(50);
        }
        long takeover = Duration.ofNanos(System.nanoTime() - gone).toMillis();
        send("POST", standby.url() + API + "/namespaces/" + team(clusters) + "/clusters", ApiBenchmark.fleetClusterJson(clusters));
        while (!get(standby.url() + API + "/namespaces/" + team(clusters) + "/clusters/fleet-cluster-" + clusters).path("status").path("git").has("commit")) {
            Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "takeover after the leader stopped: %d ms; first commit of the new leader %d ms after the "
                + "old one stopped%n", takeover, Duration.ofNanos(System.nanoTime() - gone).toMillis());
    }

    private static String team(int number) {
        return "fleet-" + number % ApiBenchmark.FLEET_TEAMS;
    }

    private static Configuration configuration(Path data, EmbeddedPostgres database, Path remote) {
        return Configuration.resolve(Map.of(Option.DATA_DIR, data.toString(), Option.PORT, "0", Option.GIT_PORT, "0",
                Option.DATABASE_URL, database.jdbcUrl(), Option.DATABASE_USER, database.user(), Option.GIT_REMOTE_URL,
                remote.toUri().toString(), Option.EXAMPLES, "false"), Map.of("DROVER_DATABASE_PASSWORD", database.password()),
                java.util.Optional.empty());
    }

    private void watch(String url, Map<String, Long> seen) {
        try {
            HttpResponse<java.io.InputStream> stream = client(url).send(request(url + API + "/clusters?watch=true&timeoutSeconds=3600").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (var lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    JsonNode event = Json.MAPPER.readTree(line);
                    if (event.path("type").asText().equals("ADDED")) {
                        seen.putIfAbsent(event.path("object").path("metadata").path("name").asText(), System.nanoTime());
                    }
                }
            }
        } catch (Exception stopped) {
            // Interrupted at the end of the measurement.
        }
    }

    private long committed(DroverServer replica) throws Exception {
        JsonNode list = get(replica.url() + API + "/clusters");
        long count = 0;
        for (JsonNode cluster : list.path("items")) {
            if (cluster.path("metadata").path("namespace").asText().startsWith("fleet-")
                    && cluster.path("status").path("git").has("commit")) {
                count++;
            }
        }
        return count;
    }

    private static String servedHead(DroverServer replica) throws Exception {
        String listed = run(Path.of("."), "git", "-c", "http.extraHeader=Authorization: Bearer " + replica.adminToken(), "ls-remote",
                replica.gitUrl(), "refs/heads/main");
        return listed.isBlank() ? "" : listed.strip().split("\\s+")[0];
    }

    private String metric(DroverServer replica, String name) throws Exception {
        String text = client(replica.url()).send(request(replica.url() + "/metrics").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).map(line -> line.substring(name.length() + 1).trim())
                .findFirst().orElse("");
    }

    private JsonNode get(String url) throws Exception {
        return Json.MAPPER.readTree(client(url).send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private void send(String method, String url, String body) throws Exception {
        HttpResponse<String> answer = client(url).send(request(url).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException(method + " " + url + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    private HttpClient client(String url) {
        return clients.entrySet().stream().filter(replica -> url.startsWith(replica.getKey())).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + token);
    }

    private static String git(Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        return run(directory, command.toArray(String[]::new)).strip();
    }

    private static String run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
