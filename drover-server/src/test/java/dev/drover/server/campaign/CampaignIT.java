package dev.drover.server.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A Campaign through the real server, kubectl and the drover CLI, on a fake clock and not connected (the gate is the
 * commit): its plan, a canary stage that bakes, an approval, pause and resume, a cluster waiting for its window past
 * the deadline, skip, the commits naming the campaign, and the refusals of a bad or un-aborted Campaign.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignIT {

    private static final String CAMPAIGN = """
            apiVersion: platform.drover.dev/v1alpha1
            kind: Campaign
            metadata: {name: docker-1-32}
            spec:
              change: {kubernetesVersion: "1.32"}
              selector: {matchLabels: {platform.drover.dev/flavor: docker-local}}
              deadline: "2026-12-03T00:00:00Z"
              expectedUpdateDuration: 30m
              stages:
              - name: canary
                selector: {matchLabels: {tier: canary}}
                bakeTime: 1h
              - name: rest
                requiresApproval: true
                maxConcurrent: "1"
            """;

    private static MutableClock clock;
    private static FleetChecks fleet;
    private static Path campaignFile;

    @BeforeAll
    static void start() throws Exception {
        Kubectl.requireInstalled();
        // Wednesday noon, UTC.
        clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
        TestDrover drover = TestDrover.startFreshWithExamples(Map.of(Option.SCHEDULE_RESYNC, "200ms"),
                ExampleOrganisation.Selection.LOCAL, clock);
        fleet = new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory("drover-campaign-"));
        Kubectl kubectl = fleet.kubectl();
        kubectl.run("patch", "clusterflavor", "docker-local", "--type", "merge", "-p",
                "{\"spec\":{\"kubernetesVersions\":{\"allowed\":[\"1.31.4\",\"1.32.0\"]}}}").succeeded();
        kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: canary, namespace: search, labels: {tier: canary}}
                spec: {flavor: docker-local, environment: development}
                ---
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: nightly, namespace: search}
                spec:
                  flavor: docker-local
                  environment: development
                  maintenance:
                    windows: [{days: [Thu], start: "03:00", end: "05:00"}]
                """, "apply", "-f", "-").succeeded();
        campaignFile = fleet.workDirectory().resolve("campaign.yaml");
        Files.writeString(campaignFile, CAMPAIGN);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    @Order(1)
    void thePlanShowsTheScheduleAndTheClusterThatCannotFinishBeforeTheDeadlineWithoutChangingAnything() {
        DroverCli.Run plan = DroverCli.run(fleet.drover().kubeconfig(), "campaign", "plan", campaignFile.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("Campaign docker-1-32, planned from 2026-12-02T12:00:")
                .containsPattern("canary\\s+1\\s+2026-12-02T12:00:\\S+\\s+2026-12-02T12:30:\\S+\\s+no")
                .containsPattern("rest\\s+2\\s+2026-12-02T13:30:\\S+\\s+2026-12-03T03:30:00Z\\s+yes")
                .containsPattern("search/nightly\\s+rest\\s+2026-12-03T03:00:00Z\\s+2026-12-03T03:30:00Z\\s+late")
                .contains("ETA: 2026-12-03T03:30:00Z", "Cannot finish before the deadline: search/nightly");
        assertThat(fleet.kubectl().run("get", "campaigns", "-o", "name").succeeded().out()).as("nothing created").isBlank();

        DroverCli.Run bad = DroverCli.run(fleet.drover().kubeconfig(), "campaign", "plan", write("bad.yaml",
                CAMPAIGN.replace("change: {kubernetesVersion: \"1.32\"}", "change: {kubernetesVersion: \"1.32\", kubernetesPatch: true}")));
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("spec.change", "set exactly one of kubernetesVersion");
    }

    @Test
    @Order(2)
    void theCanaryGoesFirstBakesAndTheRestWaitsForApproval() throws Exception {
        Kubectl kubectl = fleet.kubectl();
        kubectl.runWithInput(CAMPAIGN, "apply", "-f", "-").succeeded();
        JsonNode baking = awaitCampaign(status -> stage(status, "canary").path("state").asText().equals("Baking"));
        assertThat(stage(baking, "canary").path("bakedUntil").asText()).startsWith("2026-12-02T13:00:");
        JsonNode canary = progress(baking, "search/canary");
        assertThat(canary.path("state").asText()).isEqualTo("Succeeded");
        assertThat(canary.path("message").asText()).startsWith("1.32.0 committed in ")
                .endsWith("Drover is not connected to the management cluster, so the cluster's health is not observed");
        assertThat(progress(baking, "search/kind-sandbox").path("reason").asText()).isEqualTo("WaitingForStage");

        String log = GitCli.run(fleet.clone("after-canary"), "log", "--format=%B", "-3").succeeded().output();
        assertThat(log).contains("search/canary: generation 2, campaign docker-1-32");
        JsonNode cluster = Json.parseObject(kubectl.run("get", "cluster", "canary", "-n", "search", "-o", "json",
                "--show-managed-fields").succeeded().out());
        assertThat(cluster.path("spec").path("kubernetesVersion").asText()).isEqualTo("1.32.0");
        assertThat(cluster.path("metadata").path("managedFields").toString()).contains("drover-campaign");
        assertThat(cluster.path("metadata").path("labels").has("campaign.platform.drover.dev/name"))
                .as("the label goes once the cluster is done").isFalse();

        clock.set(Instant.parse("2026-12-02T13:01:00Z"));
        JsonNode waiting = awaitCampaign(status -> stage(status, "rest").path("state").asText().equals("AwaitingApproval"));
        assertThat(FleetChecks.condition(waiting, "Progressing").path("message").asText())
                .isEqualTo("stage rest awaits approval: drover campaign approve docker-1-32 rest");
        assertThat(kubectl.run("get", "campaigns").succeeded().out()).containsPattern("docker-1-32\\s+1.32\\s+Progressing\\s+rest\\s+"
                + "1/3 succeeded");
        assertThat(kubectl.run("get", "events", "-n", "default", "--field-selector", "involvedObject.name=docker-1-32")
                .succeeded().out()).contains("ClusterUpdating", "search/canary: kubernetesVersion 1.31.4 → 1.32.0 (attempt 1)",
                "ClusterSucceeded", "search/canary: 1.32.0 committed in ");
    }

    @Test
    @Order(3)
    void pausedNothingStartsResumedTheRestGoesOneAtATimeAndTheClusterOutsideItsWindowStraggles() throws Exception {
        assertThat(cli("pause", "docker-1-32").out()).contains("paused");
        assertThat(cli("approve", "docker-1-32", "rest").out()).contains("stage rest approved");
        JsonNode paused = awaitCampaign(status -> status.path("phase").asText().equals("Paused")
                && stage(status, "rest").path("state").asText().equals("Progressing"));
        assertThat(FleetChecks.condition(paused, "Paused").path("reason").asText()).isEqualTo("PausedByOperator");
        assertThat(progress(paused, "search/kind-sandbox").path("state").asText()).isEqualTo("Pending");

        assertThat(cli("resume", "docker-1-32").out()).contains("resumed");
        JsonNode sandbox = awaitCampaign(status -> progress(status, "search/kind-sandbox").path("state").asText().equals("Succeeded"));
        JsonNode nightly = progress(sandbox, "search/nightly");
        assertThat(nightly.path("state").asText()).isEqualTo("Pending");
        assertThat(nightly.path("reason").asText()).isEqualTo("WaitingForWindow");
        assertThat(nightly.path("windowOpens").asText()).isEqualTo("2026-12-03T03:00:00Z");
        assertThat(sandbox.path("stragglers").toString()).contains("search/nightly", "NoWindowBeforeDeadline",
                "expected done at 2026-12-03T03:30:00Z, after the deadline 2026-12-03T00:00:00Z");
        assertThat(sandbox.path("eta").asText()).isEqualTo("2026-12-03T03:30:00Z");

        String planned = fleet.kubectl().run("get", "--raw", "/apis/platform.drover.dev/v1alpha1/campaigns/docker-1-32/plan")
                .succeeded().out();
        assertThat(Json.parseObject(planned).path("clusters").toString()).contains("search/nightly", "2026-12-03T03:00:00Z");

        assertThat(cli("skip", "docker-1-32", "search/nightly").out()).contains("search/nightly skipped");
        JsonNode done = awaitCampaign(status -> status.path("phase").asText().equals("Completed"));
        assertThat(done.path("summary").asText()).isEqualTo("2/3 succeeded, 1 skipped");
        assertThat(done.path("stragglers").toString()).contains("search/nightly", "Skipped");
        assertThat(fleet.kubectl().run("get", "cluster", "nightly", "-n", "search", "-o", "jsonpath={.spec.kubernetesVersion}")
                .succeeded().out()).isIn("", "1.31.4");
    }

    @Test
    @Order(4)
    void anAbortedCampaignStaysAbortedAndItsChangeCannotChange() {
        Kubectl kubectl = fleet.kubectl();
        kubectl.runWithInput(CAMPAIGN.replace("docker-1-32", "second"), "apply", "-f", "-").succeeded();
        assertThat(cli("abort", "second").out()).contains("aborted");
        Kubectl.Result undo = kubectl.run("patch", "campaign", "second", "--type", "merge", "-p", "{\"spec\":{\"aborted\":false}}");
        assertThat(undo.exitCode()).isNotZero();
        assertThat(undo.err()).contains("spec.aborted", "an aborted campaign stays aborted");
        Kubectl.Result change = kubectl.run("patch", "campaign", "second", "--type", "merge", "-p",
                "{\"spec\":{\"change\":{\"kubernetesVersion\":\"1.33\"}}}");
        assertThat(change.err()).contains("spec.change", "cannot change once it exists");

        // Deleted, a campaign first takes its label off the clusters that still carry it (one in flight, here by hand).
        kubectl.run("label", "cluster", "nightly", "-n", "search", "campaign.platform.drover.dev/name=second").succeeded();
        kubectl.run("delete", "campaign", "second", "--timeout=30s").succeeded();
        assertThat(kubectl.run("get", "campaigns", "-o", "name").succeeded().out()).doesNotContain("second");
        assertThat(kubectl.run("get", "cluster", "nightly", "-n", "search", "-o", "jsonpath={.metadata.labels}").succeeded().out())
                .doesNotContain("campaign.platform.drover.dev/name");
    }

    private static DroverCli.Run cli(String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = "campaign";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        DroverCli.Run run = DroverCli.run(fleet.drover().kubeconfig(), all);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    private static String write(String name, String content) {
        try {
            Path file = fleet.workDirectory().resolve(name);
            Files.writeString(file, content);
            return file.toString();
        } catch (java.io.IOException unwritable) {
            throw new java.io.UncheckedIOException(unwritable);
        }
    }

    private static JsonNode awaitCampaign(Predicate<JsonNode> until) throws InterruptedException {
        return fleet.awaitObject("campaign", "docker-1-32", until);
    }

    private static JsonNode stage(JsonNode status, String name) {
        for (JsonNode stage : status.path("stages")) {
            if (stage.path("name").asText().equals(name)) {
                return stage;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    private static JsonNode progress(JsonNode status, String name) {
        for (JsonNode cluster : status.path("clusters")) {
            if (cluster.path("name").asText().equals(name)) {
                return cluster;
            }
        }
        return Json.MAPPER.createObjectNode();
    }
}
