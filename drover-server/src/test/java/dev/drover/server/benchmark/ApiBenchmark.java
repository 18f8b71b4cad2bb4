package dev.drover.server.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.tls.ServingCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks of {@code docs/benchmarks.md}: starts {@code drover up} as its own process on a fresh data
 * directory and measures through the HTTPS API. Scenario {@code api}: create throughput for 10,000 Clusters,
 * full and label-selected list latency, watch delivery latency with 100 watchers, and the server's resident
 * memory. Scenario {@code apps}: 1,000 Applications over 100 Clusters rendered and committed, then a change of their
 * template. Scenario {@code fleet}: initial render and commit of 1,000 Clusters across the example flavors, the
 * latency from one Cluster change to its new commit, and the server's peak resident memory. Scenario
 * {@code addons}: the same 1,000 Clusters with 15 add-ons each from one AddonProfile, then a version change in a
 * second profile that selects 300 of them, timed until all 300 show the new version. Scenario {@code connected}: the
 * fleet's 1,000 Clusters observed in a real management cluster API (shared/testenv), their management directory
 * applied into it, then Cluster API status changes timed until the Drover Cluster's status shows them. Scenario
 * {@code versus}: Drover beside a real kube-apiserver and etcd (shared/testenv) with the same client, creates on new
 * connections, full lists and memory of both.
 *
 * <p>Run with {@code make bench}, {@code make bench-fleet}, {@code make bench-addons}, {@code make bench-connected} or
 * {@code make bench-versus}; options: {@code --scenario api|fleet|addons|connected|versus --shared DIR --clusters N
 * --objects N --watchers N --changes N --jar PATH --keep-data}.
 */
public final class ApiBenchmark {

    private static final String API = "/apis/platform.drover.dev/v1alpha1";
    private static final int TEAMS = 100;
    static final int FLEET_TEAMS = 10;
    private static final int CONCURRENCY = 32;
    private static final int WARM_UP_CREATES = 30_000;

    private final HttpClient http;
    private final String url;
    private final String token;

    private ApiBenchmark(String url, String certificatePem, String token) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(ServingCertificate.trusting(certificatePem)).build();
        this.url = url;
        this.token = token;
    }

    public static void main(String[] arguments) throws Exception {
        String scenario = stringOption(arguments, "--scenario", "api");
        boolean fleet = !scenario.equals("api");
        boolean connected = scenario.equals("connected");
        boolean versus = scenario.equals("versus");
        int clusters = intOption(arguments, "--clusters", fleet ? 1_000 : 10_000);
        int changes = intOption(arguments, "--changes", 50);
        int watchers = intOption(arguments, "--watchers", 100);
        Path jar = Path.of(stringOption(arguments, "--jar", "drover-server/target/drover.jar")).toAbsolutePath();
        String javaOptions = stringOption(arguments, "--server-java-options", "");
        Path data = Files.createTempDirectory("drover-bench-");
        int port = 17480;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!javaOptions.isBlank()) {
            command.addAll(List.of(javaOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "up", "--data-dir", data.toString(), "--port", Integer.toString(port), "--git-port", "0"));
        Path testenv = data.resolve("management");
        Path shared = Path.of(stringOption(arguments, "--shared", "../shared")).toAbsolutePath();
        if (connected) {
            startTestenv(shared, testenv, true);
            command.addAll(List.of("--management-kubeconfig", testenv.resolve("kubeconfig").toString()));
        }
        if (versus) {
            startTestenv(shared, testenv, false);
        }
        System.out.println("starting " + String.join(" ", command));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("server.log").toFile()).start();
        try {
            ApiBenchmark benchmark = awaitServer(data, port, server);
            if (versus) {
                benchmark.runVersus(intOption(arguments, "--objects", 5_000), server.pid(), testenv);
            } else if (connected) {
                benchmark.runConnected(clusters, changes, server.pid(), data, testenv);
            } else if (scenario.equals("apps")) {
                benchmark.runApplications(intOption(arguments, "--clusters", 100), intOption(arguments, "--applications", 1_000),
                        server.pid(), data.resolve("server.log"));
            } else if (fleet) {
                benchmark.runFleet(clusters, changes, scenario.equals("addons"), server.pid(), data.resolve("server.log"));
            } else {
                benchmark.run(clusters, watchers, server.pid());
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            if (connected || versus) {
                run(List.of("bash", shared.resolve("testenv/stop").toString(), testenv.toString()));
            }
            // A run leaves about 600 MiB of database and repository; --keep-data keeps them (and the server log) to look at.
            if (Arrays.asList(arguments).contains("--keep-data")) {
                System.out.println("data kept in " + data);
            } else {
                deleteTree(data);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The management cluster: a real kube-apiserver and etcd from {@code shared/testenv}, with the upstream CRDs. */
    private static void startTestenv(Path shared, Path directory, boolean crds) throws Exception {
        if (!Files.isExecutable(shared.resolve("testenv/start"))) {
            throw new IllegalStateException("this scenario needs shared/testenv beside the repository (--shared DIR)");
        }
        System.out.println("starting a real kube-apiserver and etcd" + (crds ? " with the upstream CRDs" : ""));
        List<String> command = new ArrayList<>(List.of("bash", shared.resolve("testenv/start").toString(), directory.toString()));
        if (crds) {
            command.addAll(List.of("--crds", shared.resolve("crds").toString()));
        }
        run(command);
    }

    /** A CRD with a free-form spec, so that kube-apiserver stores what Drover validates, defaults and renders. */
    private static final String WIDGET_CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.bench.drover.dev"},
             "spec":{"group":"bench.drover.dev","scope":"Namespaced",
                     "names":{"plural":"widgets","singular":"widget","kind":"Widget"},
                     "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
                         "properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}""";

    /**
     * Drover and a real kube-apiserver (with etcd) on the same machine and the same client: 8 client threads, each
     * create on a new HTTPS connection (a new client per request), then full lists, then both servers' memory.
     * kube-apiserver stores Widgets with the same spec as the Clusters Drover admits, renders and prices.
     */
    private void runVersus(int objects, long serverPid, Path testenv) throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; server pid %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), serverPid);
        awaitAllCommitted(10);
        createFleetTeams();
        Path kubeconfig = testenv.resolve("kubeconfig");
        JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(kubeconfig.toFile());
        String kubeUrl = config.path("clusters").path(0).path("cluster").path("server").asText();
        String kubeCa = new String(Base64.getDecoder().decode(config.path("clusters").path(0).path("cluster")
                .path("certificate-authority-data").asText()), StandardCharsets.UTF_8);
        var kube = new ApiBenchmark(kubeUrl, kubeCa, config.path("users").path(0).path("user").path("token").asText());
        check(kube.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WIDGET_CRD), 201);
        run(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "wait", "--for=condition=Established",
                "crd/widgets.bench.drover.dev", "--timeout=60s"));
        for (int team = 0; team < FLEET_TEAMS; team++) {
            check(kube.send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                    + "\"metadata\":{\"name\":\"fleet-" + team + "\"}}"), 201);
        }
        String kubeCreates = kube.createOnNewConnections(objects, number -> "/apis/bench.drover.dev/v1/namespaces/fleet-"
                + number % FLEET_TEAMS + "/widgets", number -> fleetClusterJson(number)
                .replace("\"apiVersion\":\"platform.drover.dev/v1alpha1\",\"kind\":\"Cluster\"",
                        "\"apiVersion\":\"bench.drover.dev/v1\",\"kind\":\"Widget\""));
        String droverCreates = createOnNewConnections(objects, number -> API + "/namespaces/fleet-" + number % FLEET_TEAMS
                + "/clusters", ApiBenchmark::fleetClusterJson);
        System.out.printf(Locale.ROOT, "side by side, %d creates, 8 clients, a new HTTPS connection each: Drover %s; kube-apiserver %s%n",
                objects, droverCreates, kubeCreates);
        awaitAllCommitted(objects + 9);
        System.out.printf(Locale.ROOT, "side by side, full list of %d: Drover %s; kube-apiserver %s%n", objects,
                listMillis(API + "/clusters"), kube.listMillis("/apis/bench.drover.dev/v1/widgets"));
        long etcd = residentMebibytes(Long.parseLong(Files.readString(testenv.resolve("run/etcd.pid")).trim()));
        long apiserver = residentMebibytes(Long.parseLong(Files.readString(testenv.resolve("run/kube-apiserver.pid")).trim()));
        System.out.printf(Locale.ROOT, "side by side, memory after the load: Drover %d MiB + PostgreSQL %d MiB; kube-apiserver %d MiB + etcd %d MiB%n",
                residentMebibytes(serverPid), postgresResidentMebibytes(serverPid), apiserver, etcd);
    }

    /** Creates on a new client (so a new TLS connection) per request, from 8 threads; the rate and the p50 latency. */
    private String createOnNewConnections(int objects, java.util.function.IntFunction<String> path,
                                          java.util.function.IntFunction<String> body) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        onEightThreads(objects, number -> {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(http.sslContext()).build()) {
                long sent = System.nanoTime();
                check(client.send(request("POST", path.apply(number), body.apply(number)), HttpResponse.BodyHandlers.ofString()), 201);
                latencies.add((System.nanoTime() - sent) / 1e6);
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format(Locale.ROOT, "%.0f creates/s, p50 %.1f ms", objects / seconds, percentile(latencies, 50));
    }

    /** Ten full lists after two warm-up ones; the p50. */
    private String listMillis(String path) throws Exception {
        List<Double> rounds = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            long sent = System.nanoTime();
            check(send("GET", path, null), 200);
            if (round >= 2) {
                rounds.add((System.nanoTime() - sent) / 1e6);
            }
        }
        return String.format(Locale.ROOT, "p50 %.0f ms", percentile(rounds, 50));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /**
     * Connected mode at fleet scale: the fleet scenario's Clusters, their management directory applied into the
     * management cluster as Flux would, then Cluster API status changes timed until the Drover Cluster's status shows
     * them, and the server's peak memory.
     */
    private void runConnected(int clusters, int changes, long serverPid, Path data, Path testenv) throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; server pid %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), serverPid);
        awaitAllCommitted(10);
        createFleetTeams();
        createFleetClusters(clusters);
        awaitAllCommitted(clusters + 9);
        Path clone = data.resolve("clone");
        run(List.of("git", "clone", "-q", data.resolve("fleet.git").toString(), clone.toString()));
        String kubeconfig = testenv.resolve("kubeconfig").toString();
        run(List.of("kubectl", "--kubeconfig", kubeconfig, "create", "namespace", "argocd"));
        long applying = System.nanoTime();
        String applied = run(List.of("kubectl", "--kubeconfig", kubeconfig, "apply", "--server-side", "-k",
                clone.resolve("management").toString()));
        System.out.printf(Locale.ROOT, "management directory applied into the management cluster: %d objects in %.1f s%n",
                applied.lines().filter(line -> line.contains("serverside-applied")).count(), (System.nanoTime() - applying) / 1e9);
        List<Double> latencies = new ArrayList<>();
        for (int change = 0; change < changes; change++) {
            int number = change / 4 * 5 + List.of(0, 1, 2, 4).get(change % 4);
            latencies.add(observedChangeMillis(kubeconfig, "fleet-" + number % FLEET_TEAMS, "fleet-cluster-" + number, 10 + change));
        }
        System.out.printf(Locale.ROOT, "one Cluster API status change to the Drover Cluster's status (%d changes, %d clusters observed): "
                        + "p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", changes, clusters + 9, percentile(latencies, 50),
                percentile(latencies, 99), percentile(latencies, 100));
        System.out.printf(Locale.ROOT, "server peak RSS: java %d MiB (embedded PostgreSQL, proportional set size now: %d MiB)%n",
                peakResidentMebibytes(serverPid), postgresResidentMebibytes(serverPid));
    }

    /**
     * The fleet scenarios' teams: {@value #FLEET_TEAMS}, with cloud accounts, a group and a cost center each; the vSphere
     * flavor's IP pool opened to them (the example keeps it to data-platform).
     */
    private void createFleetTeams() throws Exception {
        for (int team = 0; team < FLEET_TEAMS; team++) {
            check(send("POST", API + "/teams", fleetTeamJson("fleet-" + team)), 201);
        }
        check(send("PATCH", API + "/ippools/fra-dc1-nodes", "{\"spec\":{\"scope\":null}}", "application/merge-patch+json"), 200);
    }

    /** The fleet scenarios' Clusters, spread over the teams and the example flavors, created by 8 client threads. */
    private void createFleetClusters(int clusters) throws Exception {
        onEightThreads(clusters, number -> check(send("POST", API + "/namespaces/fleet-" + number % FLEET_TEAMS + "/clusters",
                fleetClusterJson(number)), 201));
    }

    /** One request per number, from 8 client threads; the first failure fails the run. */
    private interface Request {
        void send(int number) throws Exception;
    }

    private static void onEightThreads(int count, Request request) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int number = 0; number < count; number++) {
                int current = number;
                sent.add(pool.submit(() -> {
                    request.send(current);
                    return null;
                }));
            }
            for (var each : sent) {
                each.get();
            }
        }
    }

    /** Writes a control plane of {@code machines} available machines into the Cluster API Cluster's status; times until Drover shows it. */
    private double observedChangeMillis(String kubeconfig, String team, String name, int machines) throws Exception {
        String status = "{\"status\":{\"initialization\":{\"infrastructureProvisioned\":true},\"conditions\":[{\"type\":"
                + "\"ControlPlaneAvailable\",\"status\":\"True\",\"reason\":\"Available\",\"message\":\"available\","
                + "\"lastTransitionTime\":\"2026-12-01T10:00:00Z\"}],\"controlPlane\":{\"desiredReplicas\":" + machines
                + ",\"availableReplicas\":" + machines + "}}}";
        String expected = "(" + machines + "/" + machines + " machines)";
        long started = System.nanoTime();
        run(List.of("kubectl", "--kubeconfig", kubeconfig, "patch", "clusters.cluster.x-k8s.io", name, "-n", team,
                "--subresource=status", "--type=merge", "-p", status));
        for (int attempt = 0; attempt < 3_000; attempt++) {
            JsonNode cluster = Json.MAPPER.readTree(send("GET", API + "/namespaces/" + team + "/clusters/" + name, null).body());
            for (JsonNode condition : cluster.path("status").path("conditions")) {
                if (condition.path("type").asText().equals("Provisioned") && condition.path("message").asText().contains(expected)) {
                    return (System.nanoTime() - started) / 1e6;
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(team + "/" + name + " did not show the change within 30 s");
    }

    private static ApiBenchmark awaitServer(Path data, int port, Process server) throws Exception {
        Path kubeconfig = data.resolve("kubeconfig");
        for (int attempt = 0; attempt < 600 && server.isAlive(); attempt++) {
            if (Files.exists(kubeconfig) && Files.readString(data.resolve("server.log")).contains("Drover is running")) {
                String config = Files.readString(kubeconfig);
                String certificate = new String(Base64.getDecoder().decode(value(config, "certificate-authority-data:")),
                        StandardCharsets.US_ASCII);
                return new ApiBenchmark("https://127.0.0.1:" + port, certificate, value(config, "token:"));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Drover did not start; see " + data.resolve("server.log"));
    }

    private void run(int clusters, int watchers, long serverPid) throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; server pid %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), serverPid);
        for (int team = 0; team < TEAMS; team++) {
            check(send("POST", API + "/teams", teamJson("bench-" + team)), 201);
        }
        measureCreates(clusters, serverPid);
        measureLists(clusters);
        measureWatches(watchers);
        System.out.printf(Locale.ROOT, "server RSS after loading: java %d MiB (embedded PostgreSQL, proportional set size: %d MiB)%n",
                residentMebibytes(serverPid), postgresResidentMebibytes(serverPid));
    }

    private void runFleet(int clusters, int changes, boolean addons, long serverPid, Path serverLog) throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; server pid %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), serverPid);
        awaitAllCommitted(10);
        createFleetTeams();
        if (addons) {
            check(send("POST", API + "/addonprofiles", profileJson("bench-standard", ADDONS_PER_CLUSTER,
                    "{\"matchExpressions\":[{\"key\":\"platform.drover.dev/team\",\"operator\":\"Exists\"}]}",
                    ",\"versions\":{\"production\":\"1.0.1\"}")), 201);
            check(send("POST", API + "/addonprofiles", profileJson("bench-tier", 1,
                    "{\"matchLabels\":{\"bench-tier\":\"a\"}}", "")), 201);
        }
        long started = System.nanoTime();
        createFleetClusters(clusters);
        double created = (System.nanoTime() - started) / 1e9;
        awaitAllCommitted(clusters + 9);
        double committed = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "initial: %d clusters created through the API in %.2f s, all rendered and committed after %.2f s%n",
                clusters, created, committed);
        Files.readAllLines(serverLog).stream().filter(line -> line.contains("fleet batch:")).forEach(line ->
                System.out.println("  server: " + line.substring(line.indexOf("fleet batch:"))));
        if (addons) {
            measureProfileChange(clusters, serverPid, serverLog);
            return;
        }
        List<Double> latencies = new ArrayList<>();
        for (int change = 0; change < changes; change++) {
            // Clusters 3, 8, 13 ... are virtual clusters: their pools render to no file, so they make no commit.
            int number = change / 4 * 5 + List.of(0, 1, 2, 4).get(change % 4);
            latencies.add(changeToCommitMillis("fleet-" + number % FLEET_TEAMS, "fleet-cluster-" + number, 7 + change % 5));
        }
        System.out.printf(Locale.ROOT, "one change to its commit (%d changes, %d clusters present): p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
                changes, clusters + 9, percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 100));
        System.out.printf(Locale.ROOT, "server peak RSS: java %d MiB (embedded PostgreSQL, proportional set size now: %d MiB)%n",
                peakResidentMebibytes(serverPid), postgresResidentMebibytes(serverPid));
    }

    /**
     * Application bootstrap at fleet scale: {@code clusters} of the fleet scenario, then {@code applications} spread
     * evenly over them (each names one cluster), created through the API and followed until every cluster's committed
     * files hold all of its applications; then one change of their template, followed until every cluster's files hold
     * the new revision, with the commits it took.
     */
    private void runApplications(int clusters, int applications, long serverPid, Path serverLog) throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; server pid %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), serverPid);
        awaitAllCommitted(10);
        createFleetTeams();
        createFleetClusters(clusters);
        awaitAllCommitted(clusters + 9);
        check(send("POST", API + "/apptemplates", """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"AppTemplate","metadata":{"name":"bench-service"},
                 "spec":{"runtime":"java","sizes":[{"name":"small","cpu":"250m","memory":"512Mi","minReplicas":2,"maxReplicas":4}],
                         "probes":{"readinessPath":"/ready","livenessPath":"/healthz"},"targetCpuUtilization":70,
                         "network":{"ingressFromNamespaces":["monitoring"]},"allowedAdvanced":["variables"]}}"""), 201);
        long started = System.nanoTime();
        onEightThreads(applications, number -> {
            int cluster = number % clusters;
            check(send("POST", API + "/namespaces/fleet-" + cluster % FLEET_TEAMS + "/applications", """
                    {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Application","metadata":{"name":"app-%d"},
                     "spec":{"template":"bench-service","image":"registry.example.com/bench/app-%d:1.0.%d","port":8080,
                             "size":"small","environments":[{"name":"%s","clusters":["fleet-cluster-%d"]}],
                             "advanced":{"variables":{"APP_NUMBER":"%d"}}}}""".formatted(number, number, number,
                    environmentOf(cluster), cluster, number)), 201);
        });
        double created = (System.nanoTime() - started) / 1e9;
        awaitApplicationsCommitted(applications, 1);
        double committed = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "applications: %d across %d clusters created through the API in %.2f s, all rendered "
                + "and committed after %.2f s%n", applications, clusters, created, committed);
        int batchesBefore = (int) Files.readAllLines(serverLog).stream().filter(line -> line.contains("fleet batch:")).count();
        started = System.nanoTime();
        check(send("PATCH", API + "/apptemplates/bench-service", "{\"spec\":{\"targetCpuUtilization\":60}}",
                "application/merge-patch+json"), 200);
        awaitApplicationsCommitted(applications, 2);
        double changed = (System.nanoTime() - started) / 1e9;
        List<String> batches = Files.readAllLines(serverLog).stream().filter(line -> line.contains("fleet batch:"))
                .skip(batchesBefore).map(line -> line.substring(line.indexOf("fleet batch:"))).toList();
        System.out.printf(Locale.ROOT, "template change: all %d applications re-rendered and committed after %.2f s; %d "
                + "commit(s)%n", applications, changed, batches.stream().filter(line -> !line.contains("commit none")).count());
        batches.forEach(line -> System.out.println("  server: " + line));
        System.out.printf(Locale.ROOT, "server peak RSS: java %d MiB%n", peakResidentMebibytes(serverPid));
    }

    /** The environment {@link #fleetClusterJson} gives the cluster. */
    private static String environmentOf(int number) {
        return number % 5 >= 3 ? "development" : List.of("development", "staging", "production").get(number % 3);
    }

    /** Until the clusters' committed files hold {@code expected} applications at the template revision. */
    private void awaitApplicationsCommitted(int expected, long revision) throws Exception {
        for (int attempt = 0; attempt < 6000; attempt++) {
            JsonNode list = Json.MAPPER.readTree(send("GET", API + "/clusters", null).body());
            long committed = 0;
            for (JsonNode item : list.path("items")) {
                for (JsonNode application : item.path("status").path("applications")) {
                    if (application.path("templateRevision").asLong() == revision) {
                        committed++;
                    }
                }
            }
            if (committed >= expected) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the applications were not all committed within 5 minutes");
    }

    private static final int ADDONS_PER_CLUSTER = 15;

    /**
     * Changes the version of the add-on that the 300 tiered clusters get and follows a watch on them until all show
     * it: patch, render, commit and status writes, as a client sees them.
     */
    private void measureProfileChange(int clusters, long serverPid, Path serverLog) throws Exception {
        int batchesBefore = (int) Files.readAllLines(serverLog).stream().filter(line -> line.contains("fleet batch:")).count();
        long tiered = java.util.stream.IntStream.range(0, clusters).filter(ApiBenchmark::tiered).count();
        String path = API + "/clusters?labelSelector=bench-tier%3Da";
        String version = Json.MAPPER.readTree(send("GET", path + "&limit=1", null).body()).path("metadata").path("resourceVersion").asText();
        HttpResponse<java.util.stream.Stream<String>> watch = http.send(request("GET", path + "&watch=true&resourceVersion="
                + version, null), HttpResponse.BodyHandlers.ofLines());
        long started = System.nanoTime();
        check(send("PATCH", API + "/addonprofiles/bench-tier", "[{\"op\":\"replace\",\"path\":\"/spec/addons/0/version\","
                + "\"value\":\"2.0.0\"}]", "application/json-patch+json"), 200);
        java.util.Set<String> updated = new java.util.HashSet<>();
        try (var lines = watch.body()) {
            var iterator = lines.iterator();
            while (updated.size() < tiered && iterator.hasNext()) {
                JsonNode object = Json.MAPPER.readTree(iterator.next()).path("object");
                for (JsonNode addon : object.path("status").path("addons")) {
                    if (addon.path("profile").asText().equals("bench-tier") && addon.path("version").asText().equals("2.0.0")) {
                        updated.add(object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText());
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (updated.size() < tiered) {
            throw new IllegalStateException("the watch ended after " + updated.size() + " of " + tiered + " clusters");
        }
        List<String> batches = Files.readAllLines(serverLog).stream().filter(line -> line.contains("fleet batch:")).skip(batchesBefore)
                .map(line -> line.substring(line.indexOf("fleet batch:"))).toList();
        System.out.printf(Locale.ROOT, "profile version change: all %d matching clusters show the new version after %.2f s "
                + "(patch, render, commit, status writes, seen through a watch); %d commit(s)%n", tiered, seconds,
                batches.stream().filter(line -> !line.contains("commit none")).count());
        batches.forEach(line -> System.out.println("  server: " + line));
        System.out.printf(Locale.ROOT, "server peak RSS: java %d MiB%n", peakResidentMebibytes(serverPid));
    }

    private static boolean tiered(int number) {
        return number % 10 < 3;
    }

    /** A profile of {@code count} Helm chart add-ons, each with values holding placeholders and the given extra fields. */
    private static String profileJson(String name, int count, String selector, String extra) {
        StringBuilder addons = new StringBuilder();
        for (int index = 0; index < count; index++) {
            addons.append(index == 0 ? "" : ",").append("""
                    {"name":"%s-%d","namespace":"%s-%d","chart":{"repository":"https://charts.example.com","name":"chart-%d"},
                     "version":"1.0.0"%s,
                     "values":{"clusterName":"${cluster.name}","team":"${team.name}","replicaCount":2}}"""
                    .formatted(name, index, name, index, index, extra));
        }
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"AddonProfile","metadata":{"name":"%s"},
                 "spec":{"clusterSelector":%s,"addons":[%s]}}""".formatted(name, selector, addons);
    }

    /** Waits until the given number of Clusters show a commit in their status. */
    private void awaitAllCommitted(int expected) throws Exception {
        for (int attempt = 0; attempt < 6000; attempt++) {
            JsonNode list = Json.MAPPER.readTree(send("GET", API + "/clusters", null).body());
            long committed = 0;
            for (JsonNode item : list.path("items")) {
                if (item.path("status").path("git").has("commit")
                        && item.path("status").path("observedGeneration").asLong() == item.path("metadata").path("generation").asLong()) {
                    committed++;
                }
            }
            if (committed >= expected) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("clusters were not all committed within 5 minutes");
    }

    /** Patches a node pool and follows a watch on the Cluster until its status names the new commit. */
    private double changeToCommitMillis(String team, String name, int maxSize) throws Exception {
        String path = API + "/namespaces/" + team + "/clusters";
        JsonNode before = Json.MAPPER.readTree(send("GET", path + "/" + name, null).body());
        long generation = before.path("metadata").path("generation").asLong() + 1;
        HttpResponse<java.util.stream.Stream<String>> watch = http.send(request("GET", path + "?watch=true&fieldSelector=metadata.name%3D"
                + name + "&resourceVersion=" + before.path("metadata").path("resourceVersion").asText(), null),
                HttpResponse.BodyHandlers.ofLines());
        long started = System.nanoTime();
        check(send("PATCH", path + "/" + name, "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":"
                + maxSize + "}]", "application/json-patch+json"), 200);
        try (var lines = watch.body()) {
            var iterator = lines.iterator();
            while (iterator.hasNext()) {
                JsonNode status = Json.MAPPER.readTree(iterator.next()).path("object").path("status");
                if (status.path("observedGeneration").asLong() == generation && status.path("git").has("commit")
                        && !status.path("git").path("commit").equals(before.path("status").path("git").path("commit"))) {
                    return (System.nanoTime() - started) / 1e6;
                }
            }
        }
        throw new IllegalStateException("the watch on " + name + " ended before its new commit showed");
    }

    static String fleetTeamJson(String name) {
        StringBuilder environments = new StringBuilder();
        for (String environment : List.of("development", "staging", "production")) {
            environments.append(environments.isEmpty() ? "" : ",").append("""
                    {"name":"%s","cloudAccount":{"id":"123456789012","roleArn":"arn:aws:iam::123456789012:role/%s"}}"""
                    .formatted(environment, environment));
        }
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Team","metadata":{"name":"%s"},
                 "spec":{"groups":["%s-admins"],"costCenter":"cc-%s","quotas":{"clusters":1000,"nodes":100000},
                         "environments":[%s]}}""".formatted(name, name, name, environments);
    }

    /** Clusters spread over the five example flavors with the settings each needs. */
    static String fleetClusterJson(int number) {
        String name = "fleet-cluster-" + number;
        String environment = List.of("development", "staging", "production").get(number % 3);
        String spec = switch (number % 5) {
            case 0 -> """
                    "flavor":"eks-standard","environment":"%s","variables":{"vpcCidr":"10.%d.0.0/16"}""".formatted(environment, number % 250);
            case 1 -> "\"flavor\":\"aws-kubeadm\",\"environment\":\"%s\"".formatted(environment);
            case 2 -> """
                    "flavor":"vsphere-onprem","environment":"%s","variables":{"controlPlaneEndpoint":"10.20.0.%d"}""".formatted(environment, number % 250);
            case 3 -> "\"flavor\":\"vcluster-dev\",\"environment\":\"development\"";
            default -> "\"flavor\":\"docker-local\",\"environment\":\"development\"";
        };
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"%s"%s},
                 "spec":{%s,"nodePools":[%s]}}""".formatted(name, tiered(number) ? ",\"labels\":{\"bench-tier\":\"a\"}" : "",
                spec, pools(number % 5));
    }

    private static String pools(int flavor) {
        String type = List.of("m6i.large", "m5.large", "medium-8c-32g", "virtual", "container").get(flavor);
        return flavor == 3
                ? "{\"name\":\"virtual\",\"instanceType\":\"virtual\",\"minSize\":0,\"maxSize\":0}"
                : "{\"name\":\"general\",\"instanceType\":\"%s\",\"minSize\":1,\"maxSize\":6}".formatted(type);
    }

    private void measureCreates(int clusters, long serverPid) throws Exception {
        System.out.println("warming up: " + WARM_UP_CREATES + " dry-run creates, then a pause for the JIT compiler");
        createWithWrk(WARM_UP_CREATES, "?dryRun=All", "warm-");
        Thread.sleep(5_000);
        CpuTimes before = CpuTimes.of(serverPid);
        long start = System.nanoTime();
        int failed = createWithWrk(clusters, "", "c-");
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuTimes used = CpuTimes.of(serverPid).minus(before);
        System.out.printf(Locale.ROOT, "create: %d clusters in %.2f s = %.0f creates/s from wrk with %d connections (%d failed)%n",
                clusters, seconds, clusters / seconds, CONCURRENCY, failed);
        System.out.printf(Locale.ROOT, "  CPU used meanwhile: server JVM %.1f s, PostgreSQL %.1f s, benchmark client %.1f s "
                        + "(%.0f us of server CPU per create)%n",
                used.server(), used.postgres(), used.client(), used.server() * 1e6 / clusters);
    }

    /**
     * Creates clusters c-0 … c-(n-1) round-robin over the teams with wrk, a C load generator, so that the client
     * takes little of the two cores the server needs. Each wrk thread stops after its share; the time ends when
     * both report done.
     */
    private int createWithWrk(int clusters, String query, String prefix) throws Exception {
        int threads = 2;
        Path script = Files.createTempFile("drover-create-", ".lua");
        Files.writeString(script, """
                threadId = 0
                local nextId = 0
                local sent, created, failed = 0, 0, 0
                local share = %d
                function setup(thread)
                  thread:set("threadId", nextId)
                  nextId = nextId + 1
                end
                request = function()
                  local n = sent * %d + threadId
                  sent = sent + 1
                  local body = '%s'
                  body = body:gsub("NAME", "%s" .. n):gsub("ENVIRONMENT", ({"development","staging","production"})[n %% 3 + 1])
                      :gsub("SIZE", ({"small","medium","large"})[math.floor(n / 3) %% 3 + 1])
                  return wrk.format("POST", "%s/namespaces/bench-" .. (n %% %d) .. "/clusters%s",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %s"}, body)
                end
                response = function(status, headers, body)
                  if status == 201 then created = created + 1 else failed = failed + 1 end
                  if created + failed == share then
                    io.write("done " .. failed .. "\\n")
                    io.flush()
                    wrk.thread:stop()
                  end
                end
                """.formatted(clusters / threads, threads, clusterJson("NAME", 0).replace("\n", " ")
                        .replace("development", "ENVIRONMENT").replace("small", "SIZE").replace("10.0.0.0/16", "10.20.0.0/16"),
                prefix, API, TEAMS, query, token));
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + CONCURRENCY, "-d600s", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        int failed = 0;
        int done = 0;
        StringBuilder output = new StringBuilder();
        try (var reader = new BufferedReader(new InputStreamReader(wrk.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (done < threads && (line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("done ")) {
                    failed += Integer.parseInt(line.substring(5).trim());
                    done++;
                }
            }
        } finally {
            wrk.destroy();
            Files.delete(script);
        }
        if (done < threads) {
            throw new IllegalStateException("wrk stopped before creating " + clusters + " clusters:\n" + output);
        }
        return failed;
    }

    private void measureLists(int clusters) throws Exception {
        for (int round = 0; round < 10; round++) {
            send("GET", API + "/clusters", null);
        }
        List<Double> full = new ArrayList<>();
        List<Double> selected = new ArrayList<>();
        int items = 0;
        int selectedItems = 0;
        for (int round = 0; round < 25; round++) {
            long start = System.nanoTime();
            HttpResponse<String> all = send("GET", API + "/clusters", null);
            full.add((System.nanoTime() - start) / 1e6);
            items = Json.MAPPER.readTree(all.body()).path("items").size();
            start = System.nanoTime();
            HttpResponse<String> production = send("GET", API + "/clusters?labelSelector="
                    + java.net.URLEncoder.encode("platform.drover.dev/environment=production,size in (large)", StandardCharsets.UTF_8), null);
            selected.add((System.nanoTime() - start) / 1e6);
            selectedItems = Json.MAPPER.readTree(production.body()).path("items").size();
        }
        System.out.printf(Locale.ROOT, "list all (%d items, %d created): p50 %.1f ms, p95 %.1f ms%n",
                items, clusters, percentile(full, 50), percentile(full, 95));
        System.out.printf(Locale.ROOT, "list by label selector (%d of %d items): p50 %.1f ms, p95 %.1f ms%n",
                selectedItems, items, percentile(selected, 50), percentile(selected, 95));
    }

    private void measureWatches(int watchers) throws Exception {
        int updates = 200;
        String namespace = "bench-1";
        String from = Json.MAPPER.readTree(send("GET", API + "/namespaces/" + namespace + "/clusters?limit=1", null).body())
                .path("metadata").path("resourceVersion").asText();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch delivered = new CountDownLatch(watchers * updates);
        CountDownLatch connected = new CountDownLatch(watchers);
        ExecutorService watchThreads = Executors.newVirtualThreadPerTaskExecutor();
        List<InputStream> streams = Collections.synchronizedList(new ArrayList<>());
        for (int index = 0; index < watchers; index++) {
            watchThreads.submit(() -> {
                HttpResponse<InputStream> response = http.send(request("GET", API + "/namespaces/" + namespace
                        + "/clusters?watch=true&timeoutSeconds=300&resourceVersion=" + from, null),
                        HttpResponse.BodyHandlers.ofInputStream());
                streams.add(response.body());
                connected.countDown();
                try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        JsonNode sent = Json.MAPPER.readTree(line).path("object").path("metadata").path("annotations")
                                .path("bench/sent-at-nanos");
                        if (!sent.isMissingNode()) {
                            latencies.add((System.nanoTime() - Long.parseLong(sent.asText())) / 1e6);
                            delivered.countDown();
                        }
                    }
                }
                return null;
            });
        }
        connected.await(60, TimeUnit.SECONDS);
        Thread.sleep(1_000);
        for (int update = 0; update < updates; update++) {
            String patch = "{\"metadata\":{\"annotations\":{\"bench/sent-at-nanos\":\"" + System.nanoTime() + "\"}}}";
            check(send("PATCH", API + "/namespaces/" + namespace + "/clusters/c-" + (1 + TEAMS * (update % 50)), patch,
                    "application/merge-patch+json"), 200);
            Thread.sleep(20);
        }
        boolean complete = delivered.await(60, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "watch delivery (%d watchers x %d updates, %s): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                watchers, updates, complete ? "all delivered" : "INCOMPLETE: " + delivered.getCount() + " missing",
                percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100));
        for (InputStream stream : streams) {
            stream.close();
        }
        watchThreads.shutdownNow();
    }

    private HttpRequest request(String method, String path, String body) {
        return request(method, path, body, "application/json");
    }

    private HttpRequest request(String method, String path, String body, String contentType) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        return http.send(request(method, path, body, contentType), HttpResponse.BodyHandlers.ofString());
    }

    private static void check(HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + response.statusCode() + ": " + response.body());
        }
    }

    static String teamJson(String name) {
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Team","metadata":{"name":"%s"},
                 "spec":{"quotas":{"clusters":1000,"nodes":100000},
                         "environments":[{"name":"development"},{"name":"staging"},{"name":"production"}]}}"""
                .formatted(name);
    }

    static String clusterJson(String name, int number) {
        String environment = List.of("development", "staging", "production").get(number % 3);
        String size = List.of("small", "medium", "large").get(number / 3 % 3);
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster",
                 "metadata":{"name":"%s","labels":{"size":"%s"}},
                 "spec":{"flavor":"eks-standard","environment":"%s",
                         "nodePools":[{"name":"general","instanceType":"m6i.large","minSize":2,"maxSize":6},
                                      {"name":"compute","instanceType":"c6i.xlarge","minSize":0,"maxSize":4,"capacityType":"spot"}],
                         "variables":{"vpcCidr":"10.%d.0.0/16"}}}""".formatted(name, size, environment, number % 250);
    }

    /** CPU seconds used so far by the server JVM, the PostgreSQL processes it started, and this client. */
    private record CpuTimes(double server, double postgres, double client) {

        static CpuTimes of(long serverPid) throws IOException {
            double postgres = 0;
            for (long pid : postgresPids(serverPid)) {
                postgres += cpuSeconds(pid);
            }
            return new CpuTimes(cpuSeconds(serverPid), postgres, cpuSeconds(ProcessHandle.current().pid()));
        }

        CpuTimes minus(CpuTimes earlier) {
            return new CpuTimes(server - earlier.server, postgres - earlier.postgres, client - earlier.client);
        }

        private static double cpuSeconds(long pid) throws IOException {
            Path stat = Path.of("/proc/" + pid + "/stat");
            if (!Files.exists(stat)) {
                return 0;
            }
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }
    }

    private static long residentMebibytes(long pid) throws IOException {
        return statusMebibytes(pid, "VmRSS:");
    }

    private static long peakResidentMebibytes(long pid) throws IOException {
        return statusMebibytes(pid, "VmHWM:");
    }

    private static long statusMebibytes(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /**
     * The proportional set size (shared buffers counted once) of the embedded PostgreSQL, which daemonises: its
     * processes are found by their data directory on the postmaster's command line, and its children.
     */
    private static long postgresResidentMebibytes(long serverPid) throws IOException {
        long kibibytes = 0;
        for (long pid : postgresPids(serverPid)) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    kibibytes += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return kibibytes / 1024;
    }

    private static List<Long> postgresPids(long serverPid) {
        String dataDirectory = ProcessHandle.of(serverPid).flatMap(server -> server.info().arguments())
                .map(arguments -> {
                    for (int index = 0; index < arguments.length - 1; index++) {
                        if (arguments[index].equals("--data-dir")) {
                            return arguments[index + 1];
                        }
                    }
                    return "";
                }).orElse("");
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("postgres")
                        && process.info().arguments().map(arguments -> String.join(" ", arguments).contains(dataDirectory))
                        .orElse(false))
                .forEach(postmaster -> {
                    pids.add(postmaster.pid());
                    postmaster.descendants().forEach(child -> pids.add(child.pid()));
                });
        return pids;
    }

    static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String value(String config, String key) {
        return config.lines().map(String::strip).filter(line -> line.startsWith(key)).findFirst().orElseThrow()
                .substring(key.length()).strip();
    }

    private static int intOption(String[] arguments, String name, int fallback) {
        return Integer.parseInt(stringOption(arguments, name, Integer.toString(fallback)));
    }

    private static String stringOption(String[] arguments, String name, String fallback) {
        for (int index = 0; index < arguments.length - 1; index++) {
            if (arguments[index].equals(name)) {
                return arguments[index + 1];
            }
        }
        return fallback;
    }
}
