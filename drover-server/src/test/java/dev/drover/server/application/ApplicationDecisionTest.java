package dev.drover.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ApplicationStatus;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.app.ScanReport;
import dev.drover.model.render.ApplicationRequest;
import dev.drover.model.render.AppTemplateRevision;
import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetSnapshot;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The application controller's decisions on the example checkout service: conditions, the canary's steps, drift. */
class ApplicationDecisionTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final ClusterId STAGING = new ClusterId("payments", "payments-staging");
    private static final ClusterId DEV = new ClusterId("payments", "payments-dev");
    private final FleetSnapshot examples = ExampleFleet.snapshot();
    private final ApplicationRequest checkout = examples.applications().applications().get("payments/checkout");
    private final AppTemplateRevision javaService = examples.applications().templates().get("java-service");

    private ApplicationDecision.Target target(ClusterId cluster, String environment, Optional<Integer> weight,
                                              ApplicationDecision.Health health) {
        return new ApplicationDecision.Target(cluster, environment, Optional.of(new ClusterStatus.CommittedApplication("checkout",
                1L, 1L, checkout.spec().imageFor(environment), weight, Optional.empty())), Optional.of("c0ffee"), health,
                health == ApplicationDecision.Health.TRUE ? "applied and ready" : "not applied yet");
    }

    private ApplicationDecision.Decision decide(ApplicationSpec spec, List<ApplicationDecision.Target> targets,
                                                Optional<ApplicationStatus.CanaryStatus> last, Instant now) {
        return ApplicationDecision.decide(new ApplicationDecision.Input(new ObjectKey(Kinds.APPLICATION.kind(), "payments",
                "checkout"), 1, spec, Optional.of(javaService), targets, Map.of(), Map.of(), last, now));
    }

    private static JsonNode canary(ApplicationDecision.Decision decision) {
        return decision.update().fields().get("canary");
    }

    private static Condition condition(ApplicationDecision.Decision decision, String type) {
        return decision.update().conditions().stream().filter(condition -> condition.type().equals(type)).findFirst().orElseThrow();
    }

    private static Optional<ApplicationStatus.CanaryStatus> last(int step, int weight, Instant startedAt) {
        return Optional.of(new ApplicationStatus.CanaryStatus(step, weight, "Progressing", Optional.of(startedAt.toString()),
                Optional.empty()));
    }

    private ApplicationSpec withCanaryState(ApplicationSpec.CanaryState state) {
        ApplicationSpec spec = checkout.spec();
        ApplicationSpec.Canary canary = spec.delivery().orElseThrow().canary().orElseThrow();
        return new ApplicationSpec(spec.template(), spec.image(), spec.port(), spec.size(), spec.environments(), spec.advanced(),
                Optional.of(new ApplicationSpec.Delivery(Optional.of(new ApplicationSpec.Canary(canary.environment(),
                        canary.legacyTargetGroupArn(), canary.host(), canary.steps(), Optional.of(state))),
                        spec.delivery().orElseThrow().overprovisioning())));
    }

    @Test
    void aStepLastsItsPauseThenMovesOnOnlyWithItsWeightCommittedAndHealthy() {
        var healthy = List.of(target(DEV, "development", Optional.empty(), ApplicationDecision.Health.TRUE),
                target(STAGING, "staging", Optional.of(10), ApplicationDecision.Health.TRUE));
        // The first decision starts step 0 now; it lasts 30 minutes.
        ApplicationDecision.Decision first = decide(checkout.spec(), healthy, Optional.empty(), NOW);
        assertThat(canary(first).path("step").asInt()).isZero();
        assertThat(canary(first).path("weight").asInt()).isEqualTo(10);
        assertThat(first.wakeAt()).contains(NOW.plus(Duration.ofMinutes(30)));
        // Before the pause is over, it stays.
        assertThat(canary(decide(checkout.spec(), healthy, last(0, 10, NOW), NOW.plusSeconds(60))).path("step").asInt()).isZero();
        // After it, it moves to 50%.
        ApplicationDecision.Decision moved = decide(checkout.spec(), healthy, last(0, 10, NOW), NOW.plus(Duration.ofMinutes(31)));
        assertThat(canary(moved).path("step").asInt()).isEqualTo(1);
        assertThat(canary(moved).path("weight").asInt()).isEqualTo(50);
        assertThat(moved.wakeAt()).contains(NOW.plus(Duration.ofMinutes(91)));
        // Not with the step's weight not yet committed, nor with the canary's cluster not healthy.
        var uncommitted = List.of(target(STAGING, "staging", Optional.of(0), ApplicationDecision.Health.TRUE));
        JsonNode waiting = canary(decide(checkout.spec(), uncommitted, last(0, 10, NOW), NOW.plus(Duration.ofHours(2))));
        assertThat(waiting.path("step").asInt()).isZero();
        assertThat(waiting.path("message").asText()).contains("payments/payments-staging (weight not committed yet)");
        var failing = List.of(target(STAGING, "staging", Optional.of(10), ApplicationDecision.Health.FALSE));
        assertThat(canary(decide(checkout.spec(), failing, last(0, 10, NOW), NOW.plus(Duration.ofHours(2)))).path("message")
                .asText()).contains("waits for payments/payments-staging (not applied yet)");
        // The last step completes the canary.
        ApplicationDecision.Decision completed = decide(checkout.spec(), List.of(target(STAGING, "staging", Optional.of(50),
                ApplicationDecision.Health.TRUE)), last(1, 50, NOW), NOW.plus(Duration.ofHours(2)));
        assertThat(canary(completed).path("phase").asText()).isEqualTo("Completed");
        assertThat(canary(completed).path("weight").asInt()).isEqualTo(100);
        assertThat(condition(completed, ApplicationDecision.CANARY_PROGRESSING).reason().orElse("")).contains("Completed");
    }

    @Test
    void pausedStaysAbortedSendsEverythingBackAndResumingStartsOver() {
        var targets = List.of(target(STAGING, "staging", Optional.of(50), ApplicationDecision.Health.TRUE));
        JsonNode paused = canary(decide(withCanaryState(ApplicationSpec.CanaryState.PAUSED), targets, last(1, 50, NOW),
                NOW.plus(Duration.ofDays(1))));
        assertThat(paused.path("phase").asText()).isEqualTo("Paused");
        assertThat(paused.path("weight").asInt()).isEqualTo(50);
        JsonNode aborted = canary(decide(withCanaryState(ApplicationSpec.CanaryState.ABORTED), targets, last(1, 50, NOW), NOW));
        assertThat(aborted.path("phase").asText()).isEqualTo("Aborted");
        assertThat(aborted.path("weight").asInt()).isZero();
        var wasAborted = Optional.of(new ApplicationStatus.CanaryStatus(1, 0, "Aborted", Optional.of(NOW.toString()),
                Optional.empty()));
        JsonNode resumed = canary(decide(checkout.spec(), targets, wasAborted, NOW.plusSeconds(5)));
        assertThat(resumed.path("step").asInt()).isZero();
        assertThat(resumed.path("weight").asInt()).isEqualTo(10);
    }

    @Test
    void renderedWaitsForEveryTargetAtTheGenerationAndTheTemplateRevision() {
        var lagging = new ApplicationDecision.Target(STAGING, "staging", Optional.of(new ClusterStatus.CommittedApplication(
                "checkout", 1L, 0L, checkout.spec().image(), Optional.of(10), Optional.empty())), Optional.of("c0ffee"),
                ApplicationDecision.Health.UNKNOWN, "Drover is not connected to a management cluster");
        ApplicationDecision.Decision pending = decide(checkout.spec(), List.of(lagging), Optional.empty(), NOW);
        assertThat(condition(pending, ApplicationDecision.RENDERED).reason().orElse("")).contains("Pending");
        assertThat(pending.update().fields().get("templateRevision").isNull()).isTrue();
        assertThat(condition(pending, ApplicationDecision.HEALTHY).status()).isEqualTo(Condition.ConditionStatus.UNKNOWN);
        ApplicationDecision.Decision none = decide(checkout.spec(), List.of(), Optional.empty(), NOW);
        assertThat(condition(none, ApplicationDecision.RENDERED).message().orElse("")).contains("no cluster of team payments is in "
                + "development, staging");
        ApplicationDecision.Decision current = decide(checkout.spec(), List.of(target(STAGING, "staging", Optional.of(10),
                ApplicationDecision.Health.TRUE)), Optional.empty(), NOW);
        assertThat(current.current()).isTrue();
        assertThat(current.update().fields().get("templateRevision").asLong()).isEqualTo(1);
        assertThat(current.update().fields().get("summary").asText()).isEqualTo("1/1 committed, 1/1 healthy");
    }

    @Test
    void anImageRunningInAGatedEnvironmentThatTurnsOutVulnerableFailsScanPassed() throws Exception {
        String image = "registry.example.com/payments/checkout:1.9.1@sha256:" + "1".repeat(64);
        ApplicationSpec spec = checkout.spec();
        var production = new ApplicationSpec(spec.template(), spec.image(), spec.port(), spec.size(),
                List.of(new ApplicationSpec.Environment("production", List.of(), Optional.empty(), Optional.of(image))),
                Optional.empty(), Optional.empty());
        ScanReport report = ScanReport.fromTrivy(Json.MAPPER.readTree(java.nio.file.Files.readString(java.nio.file.Path.of(
                "../drover-model/src/test/resources/scans/trivy-checkout-vulnerable.json"))));
        var scan = new ImageScans.Scan("payments", "sha256:" + "1".repeat(64), image, "trivy", report, "ci", NOW);
        ApplicationDecision.Decision decision = ApplicationDecision.decide(new ApplicationDecision.Input(
                new ObjectKey(Kinds.APPLICATION.kind(), "payments", "checkout"), 1, production, Optional.of(javaService),
                List.of(), Map.of(scan.digest(), scan), Map.of(), Optional.empty(), NOW));
        Condition scanPassed = condition(decision, ApplicationDecision.SCAN_PASSED);
        assertThat(scanPassed.status()).isEqualTo(Condition.ConditionStatus.FALSE);
        assertThat(scanPassed.message().orElse("")).contains("production: " + image + " has 3 finding(s) the gate blocks",
                "CVE-2022-22965 (CRITICAL)");
        assertThat(decision.update().fields().get("environments").get(0).path("scan").asText())
                .startsWith("blocked: 1 CRITICAL, 2 HIGH, 1 MEDIUM");

        // With a clean reported scan, what trivy-operator finds in the running image fails it too.
        var clean = new ImageScans.Scan("payments", scan.digest(), image, "trivy", new ScanReport(image, Set.of(scan.digest()),
                List.of()), "ci", NOW);
        var prod = new ClusterId("payments", "payments-prod");
        ScanReport running = ScanReport.fromVulnerabilityReport(Json.parseObject("""
                {"report":{"artifact":{"repository":"payments/checkout","tag":"1.9.1","digest":"%s"},
                 "registry":{"server":"registry.example.com"},
                 "vulnerabilities":[{"vulnerabilityID":"CVE-2024-45337","resource":"golang.org/x/crypto",
                   "installedVersion":"v0.30.0","fixedVersion":"0.31.0","severity":"CRITICAL","title":"ssh auth bypass"}]}}"""
                .formatted(scan.digest())));
        ApplicationDecision.Decision observed = ApplicationDecision.decide(new ApplicationDecision.Input(
                new ObjectKey(Kinds.APPLICATION.kind(), "payments", "checkout"), 1, production, Optional.of(javaService),
                List.of(new ApplicationDecision.Target(prod, "production", Optional.empty(), Optional.empty(),
                        ApplicationDecision.Health.TRUE, "ready")), Map.of(scan.digest(), clean), Map.of(prod, List.of(running)),
                Optional.empty(), NOW));
        assertThat(condition(observed, ApplicationDecision.SCAN_PASSED).message().orElse(""))
                .contains("production: trivy-operator in payments/payments-prod reports 1 finding(s)",
                        "CVE-2024-45337 (CRITICAL) in golang.org/x/crypto v0.30.0, fixed in 0.31.0");
    }
}
