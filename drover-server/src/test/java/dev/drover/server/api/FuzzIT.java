package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.RawHttps;
import dev.drover.server.testing.TestDrover;
import dev.drover.server.tls.ServingCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzzer of Drover's own: a few thousand generated bad requests over every route, from an admin token and a
 * team token, with broken bodies, content types, parameters and raw HTTP. No answer may be a 5xx, and afterwards the
 * server is healthy and holds the objects it held before (writes go as dry runs, so any that pass change nothing).
 * The seed is fixed so that a failure reproduces; the failing requests are printed.
 */
class FuzzIT {

    private static final long SEED = 20261202L;
    private static final int REQUESTS = 3_000;
    private static final int RAW_REQUESTS = 80;
    private static final String GROUP = "/apis/platform.drover.dev/v1alpha1";
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/yaml",
            "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json",
            "application/apply-patch+yaml", "application/vnd.kubernetes.protobuf", "text/plain", "", "application/json; charset=latin1");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private static TestDrover drover;
    private static SSLContext tls;
    private static HttpClient http;
    private static String teamToken;

    @BeforeAll
    static void startDrover() {
        drover = TestDrover.startFreshWithExamples();
        tls = ServingCertificate.trusting(drover.certificatePem());
        http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        teamToken = DroverCli.teamToken(drover.kubeconfig(), "search");
    }

    @AfterAll
    static void stopDrover() {
        drover.close();
    }

    @Test
    void generatedBadRequestsGetOnly4xxAndLeaveTheServerHealthyAndUnchanged() throws Exception {
        Map<String, String> before = everyObjectsVersion();
        Random random = new Random(SEED);
        List<String> paths = paths();
        List<JsonNode> seeds = seedBodies();
        ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        List<Future<?>> sent = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            for (int index = 0; index < REQUESTS; index++) {
                var request = generate(new Random(random.nextLong()), paths, seeds);
                sent.add(clients.submit(() -> {
                    try {
                        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        answered.incrementAndGet();
                        if (answer.statusCode() >= 500) {
                            serverErrors.add(answer.statusCode() + " " + request.build().method() + " " + request.build().uri()
                                    + " → " + answer.body().substring(0, Math.min(300, answer.body().length())));
                        }
                    } catch (HttpTimeoutException slow) {
                        serverErrors.add("no answer within 20 s: " + request.build().method() + " " + request.build().uri());
                    }
                    return null;
                }));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        }
        for (int index = 0; index < RAW_REQUESTS; index++) {
            String answer = raw(rawRequest(new Random(random.nextLong())));
            // 505 is HTTP's answer to a version it does not speak (kube-apiserver gives it too), not a server fault.
            if (answer.matches("(?s)HTTP/1\\.1 5\\d\\d.*") && !answer.startsWith("HTTP/1.1 505")) {
                serverErrors.add("raw request " + index + " → " + answer.lines().findFirst().orElse(""));
            }
            if (!answer.isEmpty() && !answer.contains("\"kind\":\"Status\"") && !answer.startsWith("HTTP/1.1 2")) {
                serverErrors.add("raw request " + index + " answered without a Status: " + answer.lines().findFirst().orElse(""));
            }
        }

        assertThat(serverErrors).as("5xx answers of " + answered.get() + " requests (seed " + SEED + ")").isEmpty();
        assertThat(answered.get()).isEqualTo(REQUESTS);
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(drover.url() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(everyObjectsVersion()).as("the objects after the fuzzing").isEqualTo(before);
    }

    /** Every route the API serves, with names that exist, names that do not and names that are no names. */
    private static List<String> paths() {
        List<String> paths = new ArrayList<>(List.of("/api", "/api/v1", "/apis", GROUP, "/openapi/v2", "/openapi/v3",
                "/openapi/v3/apis/platform.drover.dev/v1alpha1", "/version", "/healthz", "/livez", "/readyz", "/metrics",
                "/api/v1/namespaces", "/api/v1/namespaces/search", "/api/v1/namespaces/search/events", "/api/v1/events",
                "/api/v1/namespaces/search/events/x", CostRoutes.REPORT_PATH, CostRoutes.WHAT_IF_PATH, TokenRoutes.PATH,
                TokenRoutes.PATH + "/t-nothing", AuditRoutes.PATH, AccessReviewRoutes.ACCESS_REVIEW_PATH,
                AccessReviewRoutes.RULES_REVIEW_PATH, AccessReviewRoutes.SUBJECT_REVIEW_PATH, "/git/fleet.git/info/refs",
                "/nothing", "/apis/other.group/v1", GROUP + "/namespaces", GROUP + "/namespaces/search"));
        for (Kind kind : Kinds.ALL) {
            String plural = kind.plural();
            if (kind.namespaced()) {
                for (String namespace : List.of("search", "payments", "no-such-team", "Bad_Name", "%00")) {
                    paths.add(GROUP + "/namespaces/" + namespace + "/" + plural);
                    for (String name : List.of("search-dev", "payments-dev", "missing", "UPPER", "a%2Fb", "x".repeat(300))) {
                        paths.add(GROUP + "/namespaces/" + namespace + "/" + plural + "/" + name);
                        paths.add(GROUP + "/namespaces/" + namespace + "/" + plural + "/" + name + "/status");
                        paths.add(GROUP + "/namespaces/" + namespace + "/" + plural + "/" + name + "/nothing");
                    }
                }
                paths.add(GROUP + "/" + plural);
            } else {
                paths.add(GROUP + "/" + plural);
                for (String name : List.of("search", "eks-standard", "standard", "missing", "UPPER", "..")) {
                    paths.add(GROUP + "/" + plural + "/" + name);
                    paths.add(GROUP + "/" + plural + "/" + name + "/status");
                }
            }
        }
        return paths;
    }

    /** Valid objects of every kind, from the running server: the fuzzer breaks them. */
    private static List<JsonNode> seedBodies() throws Exception {
        List<JsonNode> seeds = new ArrayList<>();
        for (Kind kind : Kinds.ALL) {
            JsonNode list = Json.MAPPER.readTree(adminGet(GROUP + "/" + kind.plural()).body());
            list.path("items").forEach(seeds::add);
        }
        seeds.add(Json.parseObject("{\"environments\":[\"development\"],\"spotShare\":\"0.5\"}"));
        seeds.add(Json.parseObject("{\"team\":\"search\",\"description\":\"x\"}"));
        seeds.add(Json.parseObject("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                + "\"spec\":{\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"clusters\",\"namespace\":\"search\"}}}"));
        seeds.add(Json.MAPPER.readTree("[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":5}]"));
        return seeds;
    }

    private static HttpRequest.Builder generate(Random random, List<String> paths, List<JsonNode> seeds) {
        String method = METHODS.get(random.nextInt(METHODS.size()));
        StringBuilder uri = new StringBuilder(drover.url()).append(paths.get(random.nextInt(paths.size())));
        uri.append(uri.indexOf("?") < 0 ? '?' : '&').append("dryRun=All");
        List<String> parameters = new ArrayList<>();
        for (int parameter = random.nextInt(4); parameter > 0; parameter--) {
            parameters.add(queryParameter(random));
        }
        // A watch keeps its own one-second timeout: another timeoutSeconds (0, or a large one) would let it stream for an hour.
        if (parameters.stream().anyMatch(parameter -> parameter.startsWith("watch="))) {
            parameters.removeIf(parameter -> parameter.startsWith("timeoutSeconds="));
        }
        parameters.forEach(parameter -> uri.append('&').append(parameter));
        String body = method.equals("GET") && random.nextInt(4) > 0 ? null : body(random, seeds);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String contentType = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        switch (random.nextInt(6)) {
            case 0 -> request.header("Authorization", "Bearer " + drover.adminToken());
            case 1 -> request.header("Authorization", "Bearer drover_not-a-token");
            case 2 -> request.header("Authorization", "Basic " + "x".repeat(random.nextInt(100)));
            default -> request.header("Authorization", "Bearer " + teamToken);
        }
        if (random.nextInt(8) == 0) {
            request.header("Accept", List.of("application/json;as=Table;v=v1;g=meta.k8s.io", "application/yaml",
                    "application/vnd.kubernetes.protobuf", "text/html", "*/*;q=abc").get(random.nextInt(5)));
        }
        return request;
    }

    private static String queryParameter(Random random) {
        String name = List.of("watch", "timeoutSeconds", "labelSelector", "fieldSelector", "limit", "continue", "resourceVersion",
                "resourceVersionMatch", "fieldManager", "fieldValidation", "force", "propagationPolicy", "by", "team",
                "since", "user", "allowWatchBookmarks", "sendInitialEvents", "service").get(random.nextInt(19));
        if (name.equals("watch")) {
            // A watch that is valid would run until its timeout: the fuzzer keeps them short.
            return "watch=true&timeoutSeconds=1";
        }
        String value = switch (name) {
            case "timeoutSeconds" -> List.of("-1", "0", "10000000000", "1e3", "99999999999999999999", "abc").get(random.nextInt(6));
            default -> hostileText(random);
        };
        return name + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String hostileText(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "x".repeat(random.nextInt(5_000));
            case 2 -> "1e999999999";
            case 3 -> "-9223372036854775809";
            case 4 -> "a=b,c!=d,e in (f,g),!h,i notin ()";
            case 5 -> "(((((((((((((";
            case 6 -> "\u0000\u0001";
            case 7 -> "\uD800";
            case 8 -> "..%2F..%2Fetc";
            case 9 -> "metadata.name=x,spec.y=z";
            case 10 -> "${cluster.name";
            default -> Integer.toString(random.nextInt());
        };
    }

    private static String body(Random random, List<JsonNode> seeds) {
        JsonNode seed = seeds.get(random.nextInt(seeds.size())).deepCopy();
        for (int mutation = 1 + random.nextInt(4); mutation > 0; mutation--) {
            seed = mutate(random, seed, 0);
        }
        String json = seed.toString();
        return switch (random.nextInt(12)) {
            case 0 -> json.substring(0, random.nextInt(json.length() + 1));
            case 1 -> json.replaceFirst("\\d+", "1e10000");
            case 2 -> json.replaceFirst("\"[a-z]", "\"\\\\u0000");
            case 3 -> "[".repeat(3_000) + "]".repeat(3_000);
            case 4 -> "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
            case 5 -> "kind: Cluster\nspec: &a [*a]\n";
            case 6 -> new String(randomBytes(random, random.nextInt(2_000)), StandardCharsets.ISO_8859_1);
            default -> json;
        };
    }

    /** Replaces a random node of the tree with a hostile value. */
    private static JsonNode mutate(Random random, JsonNode node, int depth) {
        if (node instanceof ObjectNode object && !object.isEmpty() && depth < 8 && random.nextInt(4) > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            object.set(name, mutate(random, object.get(name), depth + 1));
            return object;
        }
        if (node instanceof ArrayNode array && !array.isEmpty() && depth < 8 && random.nextInt(4) > 0) {
            int index = random.nextInt(array.size());
            array.set(index, mutate(random, array.get(index), depth + 1));
            return array;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.textNode("x");
            case 2 -> nodes.numberNode(new java.math.BigDecimal("1e400"));
            case 3 -> nodes.numberNode(-1);
            case 4 -> nodes.numberNode(Long.MAX_VALUE);
            case 5 -> nodes.booleanNode(true);
            case 6 -> nodes.arrayNode().add(nodes.nullNode());
            case 7 -> nodes.objectNode().put("unknown", "field");
            case 8 -> nodes.textNode(hostileText(random));
            case 9 -> nodes.numberNode(0.5);
            case 10 -> nodes.arrayNode();
            case 11 -> nodes.objectNode();
            case 12 -> nodes.textNode("${var.nothing}");
            default -> nodes.textNode("1e999999999");
        };
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String rawRequest(Random random) {
        String token = drover.adminToken();
        return switch (random.nextInt(8)) {
            case 0 -> new String(randomBytes(random, 1 + random.nextInt(500)), StandardCharsets.ISO_8859_1) + "\r\n\r\n";
            case 1 -> "GET /" + "a".repeat(10_000 + random.nextInt(20_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 2 -> "GET /version HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(10_000 + random.nextInt(20_000)) + "\r\n\r\n";
            case 3 -> "POST " + GROUP + "/namespaces/search/clusters HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: 100\r\n\r\n{\"a\":";
            case 4 -> "POST " + GROUP + "/namespaces/search/clusters HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
            case 5 -> "get /version HTTP/1.1\r\nHost: x\r\n\r\n";
            case 6 -> "GET /version HTTP/9.9\r\nHost: x\r\n\r\n";
            default -> "GET /version HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n";
        };
    }

    private static String raw(String request) throws Exception {
        return RawHttps.exchange(tls, drover.url(), request, Duration.ofSeconds(2));
    }

    private static HttpResponse<String> adminGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(drover.url() + path))
                .header("Authorization", "Bearer " + drover.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every object's resourceVersion, by kind, namespace and name. */
    private static Map<String, String> everyObjectsVersion() throws Exception {
        Map<String, String> versions = new TreeMap<>();
        for (Kind kind : Kinds.ALL) {
            for (JsonNode item : Json.MAPPER.readTree(adminGet(GROUP + "/" + kind.plural()).body()).path("items")) {
                JsonNode metadata = item.path("metadata");
                versions.put(kind.kind() + "/" + metadata.path("namespace").asText() + "/" + metadata.path("name").asText(),
                        metadata.path("generation").asText() + " " + item.path("spec").toString().hashCode());
            }
        }
        return versions;
    }
}
