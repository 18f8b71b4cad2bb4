package dev.drover.server.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.environment.Overrides;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.server.ExampleOrganisation;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.MutableClock;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.testing.TestDrover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lifetimes and hibernation end to end on a clock the test moves: a real Drover (PostgreSQL, Git), kubectl and the
 * drover CLI. Days pass in seconds, and a restart across a window's start shows the catch-up.
 */
class EnvironmentIT {

    /** Wednesday noon, UTC. */
    private static final Instant START = Instant.parse("2026-12-02T12:00:00Z");
    private static MutableClock clock;
    private static FleetChecks fleet;

    @BeforeAll
    static void start() {
        Kubectl.requireInstalled();
        clock = new MutableClock(START);
        TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.SCHEDULE_RESYNC, "200ms",
                Option.EVENT_RETENTION, "10000h"), ExampleOrganisation.Selection.LOCAL, clock);
        fleet = new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory("drover-environment-"));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aClusterWarnsADayAndAnHourBeforeItsTtlCanBeExtendedWithinTheCapAndIsGoneWithItsFilesAtExpiry() throws Exception {
        fleet.kubectl().run("patch", "clusterflavor", "docker-local", "--type", "merge", "-p",
                "{\"spec\":{\"lifetime\":{\"maximumTtl\":\"120h\"}}}").succeeded();
        create("ttl-demo", "ttl: 72h");
        Instant created = Instant.parse(clusterJson("ttl-demo").path("metadata").path("creationTimestamp").asText());
        JsonNode status = fleet.awaitCluster("search/ttl-demo", has("Expiring", "NotDue"));
        assertThat(status.path("expiresAt").asText()).isEqualTo(created.plus(Duration.ofHours(72)).toString());
        assertThat(fleet.kubectl().run("get", "clusters", "-n", "search").succeeded().out()).contains("EXPIRES");
        fleet.awaitCluster("search/ttl-demo", current -> current.path("git").has("commit"));

        clock.set(created.plus(Duration.ofHours(48)).plusSeconds(60));
        status = fleet.awaitCluster("search/ttl-demo", has("Expiring", "ExpiresWithinADay"));
        assertThat(FleetChecks.condition(status, "Expiring").path("message").asText())
                .contains("drover cluster extend ttl-demo -n search --by 24h").contains("may grow to 120h");
        assertThat(events("ttl-demo")).contains("ExpiresWithinADay");

        DroverCli.Run extended = DroverCli.run(fleet.drover().kubeconfig(), "cluster", "extend", "ttl-demo", "-n", "search", "--by", "24h");
        assertThat(extended.exitCode()).as(extended.err()).isZero();
        assertThat(extended.out()).contains("ttl 72h -> 96h");
        status = fleet.awaitCluster("search/ttl-demo", has("Expiring", "NotDue"));
        assertThat(status.path("expiresAt").asText()).isEqualTo(created.plus(Duration.ofHours(96)).toString());
        assertThat(fleet.kubectl().run("get", "cluster", "ttl-demo", "-n", "search", "-o", "json", "--show-managed-fields")
                .succeeded().out()).as("who extended it").contains("drover-cluster-extend");

        DroverCli.Run refused = DroverCli.run(fleet.drover().kubeconfig(), "cluster", "extend", "ttl-demo", "-n", "search", "--by", "48h");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("spec.ttl").contains("more than the 120h that flavor \"docker-local\" allows")
                .contains("extend it by at most 24h");

        clock.set(created.plus(Duration.ofHours(96)).minusSeconds(1800));
        fleet.awaitCluster("search/ttl-demo", has("Expiring", "ExpiresWithinAnHour"));
        clock.set(created.plus(Duration.ofHours(96)).plusSeconds(1));
        awaitGone("ttl-demo");
        assertThat(events("ttl-demo")).contains("Expired");
        Path clone = fleet.clone("after-expiry");
        try (Stream<Path> files = Files.walk(clone)) {
            assertThat(files.filter(path -> path.toString().contains("/ttl-demo/")).toList()).isEmpty();
        }
    }

    @Test
    void aNightlyScheduleHibernatesThePoolsInGitWakesThemAndCatchesUpAfterAnOutage() throws Exception {
        clock.set(START);
        create("nightly", """
                hibernation:
                    windows:
                    - days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
                      start: "19:00"
                      end: "07:00"
                """);
        JsonNode status = fleet.awaitCluster("search/nightly", has("Hibernated", "Awake"));
        assertThat(status.path("hibernation").path("next").path("at").asText()).isEqualTo("2026-12-02T19:00:00Z");
        fleet.awaitCluster("search/nightly", current -> current.path("git").has("commit"));

        clock.set(Instant.parse("2026-12-02T19:00:30Z"));
        status = fleet.awaitCluster("search/nightly", has("Hibernated", "Scheduled"));
        assertThat(status.path("hibernation").path("cause").asText()).isEqualTo("window Mon,Tue,Wed,Thu,Fri,Sat,Sun 19:00-07:00 UTC");
        Path clone = awaitCommit("hibernated", "nightly-hibernated");
        String diff = GitCli.run(clone, "show", "--format=%B", "HEAD").succeeded().output();
        assertThat(diff).contains("search/nightly: generation 1, hibernated (window Mon,Tue,Wed,Thu,Fri,Sat,Sun 19:00-07:00 UTC)");
        assertThat(changedLines(diff)).containsExactlyInAnyOrder(
                "-    cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size: \"2\"",
                "-    cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size: \"1\"",
                "+    platform.drover.dev/hibernated: \"true\"",
                "+  replicas: 0");

        clock.set(Instant.parse("2026-12-03T10:00:00Z"));
        fleet.awaitCluster("search/nightly", has("Hibernated", "Awake"));
        awaitCommit("awake", "nightly-awake");

        // Drover is down when the next window opens at 19:00; it hibernates the cluster when it is back.
        fleet.drover().stop();
        clock.set(Instant.parse("2026-12-03T21:00:00Z"));
        fleet.drover().restart();
        status = fleet.awaitCluster("search/nightly", has("Hibernated", "Scheduled"));
        assertThat(status.path("hibernation").path("lastTransitionTime").asText()).isEqualTo("2026-12-03T21:00:00Z");
        awaitCommit("hibernated", "nightly-caught-up");

        // Skip the next night: awake through it, hibernated again the night after.
        clock.set(Instant.parse("2026-12-04T10:00:00Z"));
        fleet.awaitCluster("search/nightly", has("Hibernated", "Awake"));
        ClusterSpec.Hibernation schedule = Json.bind(clusterJson("nightly").path("spec").path("hibernation"), ClusterSpec.Hibernation.class);
        ClusterSpec.ScheduleOverride skip = Overrides.skipNext(Optional.of(schedule), clock.instant(), Optional.empty());
        fleet.kubectl().run("patch", "cluster", "nightly", "-n", "search", "--type", "merge", "-p",
                "{\"spec\":{\"hibernation\":{\"override\":" + Json.write(skip) + "}}}").succeeded();
        clock.set(Instant.parse("2026-12-04T20:00:00Z"));
        status = fleet.awaitCluster("search/nightly", current -> current.path("hibernation").path("cause").asText()
                .startsWith("override: awake from 2026-12-04T19:00:00Z until 2026-12-05T07:00:00Z"));
        assertThat(status.path("hibernation").path("state").asText()).isEqualTo("Awake");
        assertThat(savingsNotReal()).as("the estimate's saving is not real tonight")
                .contains("{\"cluster\":\"search/nightly\",\"reason\":\"an override keeps it awake in a hibernation window");
        clock.set(Instant.parse("2026-12-05T20:00:00Z"));
        fleet.awaitCluster("search/nightly", has("Hibernated", "Scheduled"));
        assertThat(savingsNotReal()).isEqualTo("[]");
    }

    private static void create(String name, String extra) {
        String manifest = """
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: %s
                  namespace: search
                spec:
                  flavor: docker-local
                  environment: development
                %s
                """.formatted(name, extra.indent(2));
        fleet.kubectl().runWithInput(manifest, "apply", "-f", "-").succeeded();
    }

    private static java.util.function.Predicate<JsonNode> has(String condition, String reason) {
        return status -> {
            for (JsonNode entry : status.path("conditions")) {
                if (entry.path("type").asText().equals(condition)) {
                    return entry.path("reason").asText().equals(reason);
                }
            }
            return false;
        };
    }

    /** The cost report's clusters whose hibernation saving is not real, once the controller's pass after the last change published them. */
    private static String savingsNotReal() throws InterruptedException {
        Thread.sleep(1_500);
        return Json.write(Json.parseObject(fleet.kubectl().run("get", "--raw", "/reports/cost?by=cluster").succeeded().out())
                .path("hibernationNotReal"));
    }

    private static JsonNode clusterJson(String name) {
        return Json.parseObject(fleet.kubectl().run("get", "cluster", name, "-n", "search", "-o", "json").succeeded().out());
    }

    private static String events(String name) {
        return fleet.kubectl().run("get", "events", "-n", "search", "--field-selector", "involvedObject.name=" + name,
                "-o", "json").succeeded().out();
    }

    private static void awaitGone(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fleet.kubectl().run("get", "cluster", name, "-n", "search").exitCode() == 0) {
            assertThat(System.nanoTime()).as("cluster " + name + " deleted").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** A clone whose last commit names the nightly cluster in that state. */
    private static Path awaitCommit(String state, String cloneName) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int attempt = 0; ; attempt++) {
            Path clone = fleet.clone(cloneName + "-" + attempt);
            String message = GitCli.run(clone, "log", "-1", "--format=%B").succeeded().output();
            if (message.contains("search/nightly: generation") && message.contains(", " + state + " (")) {
                return clone;
            }
            assertThat(System.nanoTime()).as("a commit of search/nightly " + state + "; last: " + message).isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    /** The added and removed lines of a patch, without the file headers. */
    private static List<String> changedLines(String patch) {
        return patch.lines().filter(line -> (line.startsWith("+") || line.startsWith("-"))
                && !line.startsWith("+++") && !line.startsWith("---")).toList();
    }
}
