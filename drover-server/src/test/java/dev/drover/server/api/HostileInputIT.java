package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.RawHttps;
import dev.drover.server.testing.TestDrover;
import dev.drover.server.tls.ServingCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input, as a careless or hostile client sends it, is answered with a 4xx {@code Status} naming what is wrong, and
 * never with a 5xx, an HTML page or an exhausted server. Each case was once answered otherwise.
 */
class HostileInputIT {

    private static final String CLUSTERS = "/apis/platform.drover.dev/v1alpha1/namespaces/payments/clusters";

    private static TestDrover drover;
    private static SSLContext tls;
    private static HttpClient http;

    @BeforeAll
    static void startDrover() {
        drover = TestDrover.sharedWithExamples();
        tls = ServingCertificate.trusting(drover.certificatePem());
        http = HttpClient.newBuilder().sslContext(tls).build();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(drover.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + drover.adminToken()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The Status of a refusal with that code; its message is returned. */
    private static String refused(HttpResponse<String> response, int code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        JsonNode status = Json.MAPPER.readTree(response.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("code").asInt()).isEqualTo(code);
        return status.path("message").asText();
    }

    private static String cluster(String name, String spec) {
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"%s"},"spec":%s}"""
                .formatted(name, spec);
    }

    @Test
    void metadataThatIsNotAnObjectIsABadRequest() throws Exception {
        String body = """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":"x",
                 "spec":{"flavor":"vcluster-dev","environment":"development"}}""";

        assertThat(refused(send("POST", CLUSTERS, body), 400)).contains("metadata");
        assertThat(refused(send("PUT", CLUSTERS + "/payments-dev", body), 400)).contains("metadata");
    }

    @Test
    void aNullListItemIsRefusedNamingIt() throws Exception {
        String message = refused(send("POST", CLUSTERS, cluster("hostile-null",
                "{\"flavor\":\"eks-standard\",\"environment\":\"development\",\"nodePools\":[null]}")), 422);

        assertThat(message).contains("spec.nodePools[0]");
    }

    @Test
    void badValuesThatOnceFailedOtherObjectsAreRefusedAtTheirOwnWrite() throws Exception {
        String flavor = send("GET", "/apis/platform.drover.dev/v1alpha1/clusterflavors/vcluster-dev", null).body();
        String withNull = flavor.replaceFirst("\"environments\":\\[", "\"environments\":[null,");
        assertThat(refused(send("PUT", "/apis/platform.drover.dev/v1alpha1/clusterflavors/vcluster-dev", withNull), 422))
                .contains("spec.environments[0]");

        String message = refused(send("POST", CLUSTERS, cluster("hostile-placeholder", """
                {"flavor":"eks-standard","environment":"development","addons":{"overrides":{"kube-prometheus-stack":
                 {"prometheus":{"prometheusSpec":{"retention":"${cluster.name"}}}}}}""")), 422);
        assertThat(message).contains("spec.addons.overrides.kube-prometheus-stack", "unterminated placeholder");
        assertThat(send("POST", "/apis/platform.drover.dev/v1alpha1/addonprofiles?dryRun=All", """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"AddonProfile","metadata":{"name":"hostile"},
                 "spec":{"addons":[{"name":"x","namespace":"x","git":{"url":"https://git.example.com/x"},"version":"v1"}]}}""")
                .statusCode()).as("AddonProfile writes still work").isEqualTo(201);
    }

    @Test
    void aNumberBeyondAnyRangeIsRefusedNamingTheField() throws Exception {
        String message = refused(send("POST", CLUSTERS, cluster("hostile-huge", """
                {"flavor":"eks-standard","environment":"development",
                 "nodePools":[{"name":"a","instanceType":"m6i.large","minSize":1e10000,"maxSize":3}]}""")), 400);
        assertThat(message).contains("spec.nodePools[0].minSize", "out of range");

        assertThat(refused(send("POST", CLUSTERS, """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"x","labels":{"a":1e-10000}}}"""),
                400)).contains("metadata.labels.a");
    }

    @Test
    void aNulCharacterIsRefusedNamingTheField() throws Exception {
        String message = refused(send("POST", CLUSTERS, """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster",
                 "metadata":{"name":"hostile-nul","annotations":{"note":"a\\u0000b"}},
                 "spec":{"flavor":"vcluster-dev","environment":"development"}}"""), 400);

        assertThat(message).contains("metadata.annotations.note", "NUL");
    }

    @Test
    void whatIfSpotSharesThatAreNotFractionsAreBadRequests() throws Exception {
        String path = CostRoutes.WHAT_IF_PATH;

        assertThat(refused(send("POST", path, "{\"environments\":[\"development\"],\"spotShare\":\"abc\"}"), 400))
                .contains("spotShare");
        assertThat(refused(send("POST", path, "{\"environments\":[\"development\"],\"spotShare\":\"1e999999999\"}"), 400))
                .contains("spotShare");
        HttpResponse<String> long10m = send("POST", path, "{\"environments\":[\"development\"],\"spotShare\":\"1e10000000\"}");
        assertThat(refused(long10m, 400)).contains("spotShare");
        assertThat(long10m.body().length()).as("the answer does not spell the number out").isLessThan(1000);
        assertThat(refused(send("POST", path, "{\"environments\":[\"development\"],\"spotShare\":1e400}"), 400))
                .contains("spotShare");
    }

    @Test
    void anHttpMethodOverrideIsNotHonoured() throws Exception {
        HttpResponse<String> overridden = http.send(HttpRequest.newBuilder(URI.create(drover.url() + CLUSTERS + "/payments-dev"))
                .GET().header("X-HTTP-Method-Override", "DELETE").header("Authorization", "Bearer " + drover.adminToken())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(overridden.statusCode()).isEqualTo(200);
        assertThat(send("GET", CLUSTERS + "/payments-dev", null).statusCode()).isEqualTo(200);
    }

    @Test
    void lowercaseMethodsAreNotMethods() throws Exception {
        String answer = raw("delete " + CLUSTERS + "/payments-dev HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + drover.adminToken() + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 405");
        assertThat(send("GET", CLUSTERS + "/payments-dev", null).statusCode()).isEqualTo(200);
    }

    @Test
    void answersCarryNoSniffAndNoStore() throws Exception {
        HttpResponse<String> answer = send("GET", CLUSTERS, null);

        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void jettysOwnRefusalsAreStatusObjects() throws Exception {
        String longUri = raw("GET /api/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(longUri).startsWith("HTTP/1.1 414").contains("application/json", "\"kind\":\"Status\"", "\"code\":414");

        String bigHeader = raw("GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(bigHeader).startsWith("HTTP/1.1 431").contains("application/json", "\"kind\":\"Status\"", "\"code\":431");

        String garbage = raw("GET /version HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
        assertThat(garbage).startsWith("HTTP/1.1 400").contains("application/json", "\"kind\":\"Status\"", "\"code\":400");
    }

    @Test
    void aMalformedUploadPackRequestIsABadRequest() throws Exception {
        String url = drover.server().gitUrl() + "/git-upload-pack";
        HttpClient plain = HttpClient.newHttpClient();
        for (String body : new String[] {"zzzz-not-pkt-lines", "0032want 00000", "0003", ""}) {
            HttpResponse<String> answer = uploadPack(plain, url, body);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).startsWith("malformed upload-pack request");
        }
        HttpResponse<String> unknownWant = uploadPack(plain, url, "0032want " + "0".repeat(40) + "\n0000");
        assertThat(unknownWant.statusCode()).as("git's own answer: an error packet, which git prints").isEqualTo(200);
        assertThat(unknownWant.body()).contains("ERR");
        HttpResponse<String> notGzip = plain.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("not gzip")).header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + drover.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notGzip.body()).contains("could not be read");
        assertThat(notGzip.statusCode()).as(notGzip.body()).isEqualTo(400);
    }

    private static HttpResponse<String> uploadPack(HttpClient plain, String url, String body) throws Exception {
        return plain.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-git-upload-pack-request")
                .header("Authorization", "Bearer " + drover.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String raw(String request) throws Exception {
        return RawHttps.exchange(tls, drover.url(), request, Duration.ofSeconds(30));
    }
}
