package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.drover.server.config.Option;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import dev.drover.server.tls.ServingCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Company users log in with OIDC ID tokens: a loopback issuer over HTTPS (its certificate given as the CA file)
 * serves its discovery document and JWKS, and the test signs tokens with its keys.
 */
class OidcIT {

    private static final String CLIENT = "drover";

    private static TemporaryDirectory files;
    private static HttpsServer issuerServer;
    private static String issuer;
    private static RSAKey signingKey;
    private static final AtomicReference<JWKSet> published = new AtomicReference<>();
    private static TestDrover drover;
    private static Kubectl kubectl;

    @BeforeAll
    static void startIssuerAndDrover() throws Exception {
        files = new TemporaryDirectory("drover-oidc-");
        ServingCertificate certificate = ServingCertificate.loadOrCreate(files.path().resolve("issuer-tls"),
                List.of("127.0.0.1", "localhost"));
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore(), certificate.keyStorePassword().toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        issuerServer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuerServer.setHttpsConfigurator(new HttpsConfigurator(tls));
        issuer = "https://127.0.0.1:" + issuerServer.getAddress().getPort();
        signingKey = new RSAKeyGenerator(2048).keyID("first").generate();
        published.set(new JWKSet(signingKey.toPublicJWK()));
        issuerServer.createContext("/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}"));
        issuerServer.createContext("/keys", exchange -> answer(exchange, published.get().toString()));
        issuerServer.start();
        Path caFile = files.path().resolve("issuer-ca.pem");
        Files.writeString(caFile, certificate.certificatePem());

        drover = TestDrover.startFreshWithExamples(Map.of(Option.OIDC_ISSUER_URL, issuer, Option.OIDC_CLIENT_ID, CLIENT,
                Option.OIDC_CA_FILE, caFile.toString(), Option.OIDC_ADMIN_GROUP, "platform-team",
                Option.OIDC_USERNAME_CLAIM, "email"));
        kubectl = new Kubectl(drover.kubeconfig());
    }

    @AfterAll
    static void stop() {
        drover.close();
        issuerServer.stop(0);
        files.close();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String token(RSAKey key, String tokenIssuer, String audience, Instant expires, String email,
                                List<String> groups) throws Exception {
        var claims = new JWTClaimsSet.Builder().issuer(tokenIssuer).audience(audience).subject("sub-" + email)
                .claim("email", email).claim("groups", groups).issueTime(Date.from(Instant.now().minusSeconds(5)))
                .expirationTime(Date.from(expires)).build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String valid(String email, List<String> groups) throws Exception {
        return token(signingKey, issuer, CLIENT, Instant.now().plus(Duration.ofMinutes(10)), email, groups);
    }

    private static Kubectl.Result as(String token, String... arguments) {
        String[] all = new String[arguments.length + 2];
        all[0] = "--token";
        all[1] = token;
        System.arraycopy(arguments, 0, all, 2, arguments.length);
        return kubectl.run(all);
    }

    @Test
    void aUserSeesExactlyTheTeamsOfTheirGroups() throws Exception {
        String ines = valid("ines@example.com", List.of("team-search", "everyone"));
        assertThat(as(ines, "get", "clusters", "-n", "search", "-o", "name").succeeded().out()).contains("cluster.platform.drover.dev/search-dev");
        Kubectl.Result other = as(ines, "get", "clusters", "-n", "payments");
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.err()).contains("Forbidden", "user oidc:ines@example.com of team \"search\"");
        assertThat(as(ines, "get", "teams", "-o", "name").succeeded().out().strip()).isEqualTo("team.platform.drover.dev/search");
        assertThat(as(ines, "auth", "whoami").succeeded().out()).contains("oidc:ines@example.com", "team-search",
                "drover:team:search");

        String lena = valid("lena@example.com", List.of("team-payments-oncall", "team-search"));
        assertThat(as(lena, "get", "teams", "-o", "name").succeeded().out().lines().toList())
                .containsExactly("team.platform.drover.dev/payments", "team.platform.drover.dev/search");
        as(lena, "get", "clusters", "-n", "payments").succeeded();
        as(lena, "get", "clusters", "-n", "search").succeeded();
        assertThat(as(lena, "get", "clusters", "-n", "data-platform").exitCode()).isNotZero();

        String admin = valid("omar@example.com", List.of("platform-team"));
        assertThat(as(admin, "get", "teams", "-o", "name").succeeded().out().lines()).hasSize(3);

        List<com.fasterxml.jackson.databind.JsonNode> audited = new java.util.ArrayList<>();
        dev.drover.model.schema.Json.MAPPER.readTree(DroverCli.run(drover.kubeconfig(), "audit", "--user",
                "oidc:ines@example.com", "-o", "json").out()).path("items").forEach(audited::add);
        assertThat(audited).anySatisfy(entry -> assertThat(entry.path("groups").asText()).contains("team-search"));
    }

    @Test
    void tokensThatAreExpiredForAnotherClientFromAnotherIssuerOrOfNoTeamAreRefused() throws Exception {
        Kubectl.Result expired = as(token(signingKey, issuer, CLIENT, Instant.now().minus(Duration.ofMinutes(5)),
                "ines@example.com", List.of("team-search")), "get", "clusters", "-n", "search");
        assertThat(expired.exitCode()).isNotZero();
        assertThat(expired.err()).contains("Unauthorized");
        assertThat(refusal(token(signingKey, issuer, CLIENT, Instant.now().minus(Duration.ofMinutes(5)), "x@example.com",
                List.of("team-search")))).contains("OIDC token was refused", "Expired");
        assertThat(refusal(token(signingKey, issuer, "another-client", Instant.now().plusSeconds(600), "x@example.com",
                List.of("team-search")))).contains("OIDC token was refused", "aud");
        assertThat(refusal(token(signingKey, "https://elsewhere.example.com", CLIENT, Instant.now().plusSeconds(600),
                "x@example.com", List.of("team-search")))).contains("OIDC token was refused", "iss");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("first").generate();
        assertThat(refusal(token(stranger, issuer, CLIENT, Instant.now().plusSeconds(600), "x@example.com",
                List.of("team-search")))).contains("OIDC token was refused");

        Kubectl.Result noTeam = as(valid("guest@example.com", List.of("contractors")), "get", "clusters", "-n", "search");
        assertThat(noTeam.exitCode()).isNotZero();
        assertThat(noTeam.err()).contains("Forbidden", "is in no team", "contractors");
    }

    @Test
    void aRotatedKeyIsFetchedAndTheRetiredOneStopsWorking() throws Exception {
        String before = valid("yuki@example.com", List.of("team-data-platform"));
        as(before, "get", "clusters", "-n", "data-platform").succeeded();
        RSAKey retired = signingKey;
        RSAKey next = new RSAKeyGenerator(2048).keyID("second").generate();
        published.set(new JWKSet(next.toPublicJWK()));
        Thread.sleep(2_500);

        String rotated = token(next, issuer, CLIENT, Instant.now().plusSeconds(600), "yuki@example.com", List.of("team-data-platform"));
        as(rotated, "get", "clusters", "-n", "data-platform").succeeded();
        assertThat(refusal(token(retired, issuer, CLIENT, Instant.now().plusSeconds(600), "kwame@example.com",
                List.of("team-data-platform")))).contains("OIDC token was refused");
        signingKey = next;
    }

    /** The message of the Status a request with the token is refused with. */
    private static String refusal(String token) {
        Kubectl.Result refused = as(token, "get", "--raw", "/apis/platform.drover.dev/v1alpha1/namespaces/search/clusters");
        assertThat(refused.exitCode()).isNotZero();
        return refused.err();
    }
}
