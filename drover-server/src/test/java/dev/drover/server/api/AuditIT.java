package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every write and every refusal lands in the audit log, and `drover audit` and the file show them. */
class AuditIT {

    private static TemporaryDirectory files;
    private static Path auditFile;
    private static TestDrover drover;
    private static Kubectl admin;
    private static String searchToken;

    @BeforeAll
    static void startDrover() {
        files = new TemporaryDirectory("drover-audit-");
        auditFile = files.path().resolve("audit.jsonl");
        drover = TestDrover.startFreshWithExamples(Map.of(Option.AUDIT_FILE, auditFile.toString()));
        admin = new Kubectl(drover.kubeconfig());
        searchToken = DroverCli.teamToken(drover.kubeconfig(), "search");
    }

    @AfterAll
    static void stopDrover() {
        drover.close();
        files.close();
    }

    private static List<JsonNode> audit(String... filters) throws Exception {
        String[] arguments = new String[filters.length + 3];
        arguments[0] = "audit";
        arguments[1] = "-o";
        arguments[2] = "json";
        System.arraycopy(filters, 0, arguments, 3, filters.length);
        DroverCli.Run run = DroverCli.run(drover.kubeconfig(), arguments);
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> items = new ArrayList<>();
        Json.MAPPER.readTree(run.out()).path("items").forEach(items::add);
        return items;
    }

    @Test
    void writesAndRefusalsAreRecordedWithWhoWhatAndWhere() throws Exception {
        admin.run("--token", searchToken, "label", "cluster", "search-dev", "-n", "search", "audited=yes").succeeded();
        long now = Long.parseLong(admin.run("get", "cluster", "search-dev", "-n", "search", "-o",
                "jsonpath={.metadata.resourceVersion}").succeeded().out());
        Kubectl.Result forbidden = admin.run("--token", searchToken, "label", "cluster", "payments-dev", "-n", "payments",
                "audited=no");
        assertThat(forbidden.exitCode()).isNotZero();

        List<JsonNode> search = awaitEntries(entry -> entry.path("code").asInt() == 403, "--team", "search");
        JsonNode write = search.stream().filter(entry -> entry.path("code").asInt() == 200).findFirst().orElseThrow();
        assertThat(write.path("verb").asText()).isEqualTo("patch");
        assertThat(write.path("kind").asText()).isEqualTo("Cluster");
        assertThat(write.path("namespace").asText()).isEqualTo("search");
        assertThat(write.path("name").asText()).isEqualTo("search-dev");
        // Drover's controllers write the cluster's status around the label: the versions are ordered, not fixed.
        assertThat(write.path("resourceVersionAfter").asLong()).as(search.toString()).isLessThanOrEqualTo(now);
        assertThat(write.path("resourceVersionBefore").asLong()).isPositive()
                .isLessThan(write.path("resourceVersionAfter").asLong());
        assertThat(write.path("actor").asText()).startsWith("t-");
        assertThat(write.path("source").asText()).isEqualTo("127.0.0.1");
        JsonNode refused = search.stream().filter(entry -> entry.path("code").asInt() == 403).findFirst().orElseThrow();
        assertThat(refused.path("namespace").asText()).isEqualTo("payments");
        assertThat(refused.path("outcome").asText()).isEqualTo("refused");
        assertThat(refused.path("message").asText()).contains("team tokens may only use the namespace");

        assertThat(audit("--user", write.path("actor").asText())).allSatisfy(entry ->
                assertThat(entry.path("actor").asText()).isEqualTo(write.path("actor").asText()));
        assertThat(audit("--since", "2000-01-01T00:00:00Z", "--team", "nobody")).isEmpty();
        String table = DroverCli.run(drover.kubeconfig(), "audit", "--team", "search").out();
        assertThat(table).contains("TIME", "ACTOR", "VERB", "Cluster/search-dev", "403");
    }

    /** A refusal quoting what a hostile request sent (a NUL in a field name) is recorded, not lost with its batch. */
    @Test
    void refusalsOfHostileRequestsAreRecordedToo() throws Exception {
        String body = "{\"apiVersion\":\"platform.drover.dev/v1alpha1\",\"kind\":\"Cluster\",\"metadata\":{\"name\":"
                + "\"hostile-audit\"},\"spec\":{\"flavor\":\"vcluster-dev\",\"a\\u0000b\":1}}";
        String answer = dev.drover.server.testing.RawHttps.exchange(dev.drover.server.tls.ServingCertificate.trusting(
                drover.certificatePem()), drover.url(), "POST /apis/platform.drover.dev/v1alpha1/namespaces/search/clusters HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + searchToken + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body, java.time.Duration.ofSeconds(30));
        assertThat(answer).startsWith("HTTP/1.1 400");

        java.util.function.Predicate<JsonNode> quotingTheNul = entry -> entry.path("code").asInt() == 400
                && entry.path("message").asText().contains("\\u0000");
        JsonNode refused = awaitEntries(quotingTheNul, "--team", "search").stream().filter(quotingTheNul).findFirst().orElseThrow();
        assertThat(refused.path("kind").asText()).isEqualTo("Cluster");
        assertThat(refused.path("namespace").asText()).isEqualTo("search");
    }

    @Test
    void aTeamTokenCannotReadTheAuditLogAndTheFileGetsEveryEntryOnce() throws Exception {
        Kubectl.Result raw = admin.run("--token", searchToken, "get", "--raw", AuditRoutes.PATH);
        assertThat(raw.exitCode()).isNotZero();
        assertThat(raw.err()).contains("Forbidden");

        admin.run("label", "team", "search", "audited=file", "--overwrite").succeeded();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(auditFile) || !Files.readString(auditFile).contains("\"name\":\"search\"")) {
            assertThat(System.nanoTime()).as("the write reaches the audit file").isLessThan(deadline);
            Thread.sleep(200);
        }
        List<Long> ids = Files.readAllLines(auditFile).stream().map(line -> Json.parseObject(line).path("id").asLong()).toList();
        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    /** The entries the filters select, once one of them is the awaited one (refusals are written a moment later). */
    private static List<JsonNode> awaitEntries(java.util.function.Predicate<JsonNode> awaited, String... filters) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<JsonNode> entries = audit(filters);
            if (entries.stream().anyMatch(awaited)) {
                return entries;
            }
            assertThat(System.nanoTime()).as("the refusal reaches the audit log").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
