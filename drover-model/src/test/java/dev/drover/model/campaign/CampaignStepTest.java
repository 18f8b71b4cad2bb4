package dev.drover.model.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.CampaignStatus.ClusterState;
import dev.drover.model.api.CampaignStatus.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The edges of a campaign's state machine, one reconcile at a time. */
class CampaignStepTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static CampaignSpec campaign(String change, String more) {
        return SimulatedFleet.bind("{'change':" + change + ",'stages':[{'name':'all','maxConcurrent':'2'}]" + more + "}",
                CampaignSpec.class);
    }

    private static SimulatedFleet fleet(String... versions) {
        var fleet = new SimulatedFleet();
        for (int index = 0; index < versions.length; index++) {
            fleet.clusters.add(new SimulatedFleet.Simulated("c" + index, "gamma", "development", versions[index], false));
        }
        return fleet;
    }

    /** Steps until the predicate holds on the status, at most a day of ticks. */
    private static CampaignStatus until(SimulatedFleet.Run run, java.util.function.Predicate<CampaignStatus> done) {
        for (int tick = 0; tick < 288; tick++) {
            CampaignStatus status = run.step().status();
            if (done.test(status)) {
                return status;
            }
            run.advance();
        }
        throw new AssertionError("not reached: " + run.status);
    }

    @Test
    void aClusterTwoMinorsBelowStepsThroughTheMinorBetweenEachStepGated() {
        SimulatedFleet fleet = fleet("1.31.8");
        var run = new SimulatedFleet.Run(fleet, campaign("{'kubernetesVersion':'1.33'}", ""), NOW);
        CampaignStatus first = until(run, status -> CampaignSimulationTest.cluster(status, "gamma/c0").state() == ClusterState.UPDATING);
        assertThat(CampaignSimulationTest.cluster(first, "gamma/c0").step()).contains("1.32.9");
        assertThat(CampaignSimulationTest.cluster(first, "gamma/c0").to()).contains("1.33.7");
        CampaignStatus between = until(run, status -> CampaignSimulationTest.cluster(status, "gamma/c0").reason().equals(Optional.of("StepDone")));
        assertThat(fleet.clusters.getFirst().version).isEqualTo("1.32.9");
        assertThat(CampaignSimulationTest.cluster(between, "gamma/c0").message().orElseThrow()).startsWith("at 1.32.9 on the way to 1.33.7");
        CampaignStatus done = until(run, status -> status.phase().equals(Optional.of(Phase.COMPLETED)));
        assertThat(fleet.clusters.getFirst().version).isEqualTo("1.33.7");
        assertThat(CampaignSimulationTest.cluster(done, "gamma/c0").reason()).contains("HealthGatePassed");
    }

    @Test
    void noClusterIsMovedDownAndAVersionTheFlavorDoesNotSupportIsSkippedWithWhy() {
        var run = new SimulatedFleet.Run(fleet("1.33.7", "1.33.5"), campaign("{'kubernetesVersion':'1.33.5'}", ""), NOW);
        CampaignStatus status = run.step().status();
        assertThat(CampaignSimulationTest.cluster(status, "gamma/c0").state()).isEqualTo(ClusterState.SKIPPED);
        assertThat(CampaignSimulationTest.cluster(status, "gamma/c0").message())
                .contains("runs 1.33.7, newer than 1.33.5; a campaign never moves a cluster down");
        assertThat(CampaignSimulationTest.cluster(status, "gamma/c1").reason()).contains("AlreadyAtTarget");

        CampaignStatus unsupported = new SimulatedFleet.Run(fleet("1.33.5"), campaign("{'kubernetesVersion':'1.34'}", ""), NOW)
                .step().status();
        assertThat(CampaignSimulationTest.cluster(unsupported, "gamma/c0").message()).contains("flavor \"eks-standard\" allows no "
                + "supported patch of 1.34; supported there: 1.31.8, 1.32.9, 1.33.5, 1.33.7");
        assertThat(unsupported.stragglers()).singleElement().satisfies(straggler -> assertThat(straggler.reason()).isEqualTo("Skipped"));
    }

    @Test
    void aRefusedChangeFailsTheClusterAndARetryStartsItAgain() {
        SimulatedFleet fleet = fleet("1.33.5");
        var run = new SimulatedFleet.Run(fleet, campaign("{'kubernetesPatch':true}", ",'maxFailures':1"), NOW);
        run.step();
        run.advance();
        // The write path refuses the change: the fleet does not get it.
        CampaignStep.Outcome started = CampaignStep.decide("patch-1-33", 1, run.spec, run.status, fleet.observe(), Map.of(), run.now);
        assertThat(started.actions()).containsExactly(new CampaignStep.Start("gamma/c0", "1.33.7"));
        run.status = started.status();
        run.advance();
        CampaignStatus failed = CampaignStep.decide("patch-1-33", 1, run.spec, run.status, fleet.observe(),
                Map.of("gamma/c0", "Cluster \"c0\" is invalid: spec.nodePools: team quota of 20 nodes exceeded"), run.now).status();
        assertThat(CampaignSimulationTest.cluster(failed, "gamma/c0").reason()).contains("Refused");
        assertThat(failed.stragglers()).singleElement().satisfies(straggler -> {
            assertThat(straggler.reason()).isEqualTo("Refused");
            assertThat(straggler.message()).contains("team quota of 20 nodes exceeded");
        });
        assertThat(failed.phase()).as("one failure is within maxFailures 1").contains(Phase.PROGRESSING);

        run.status = failed;
        run.change(CampaignSimulationTest.with(run.spec, "'retries':[{'cluster':'gamma/c0','attempt':2}]"));
        CampaignStatus retried = run.step().status();
        assertThat(CampaignSimulationTest.cluster(retried, "gamma/c0").state()).isEqualTo(ClusterState.PENDING);
        assertThat(CampaignSimulationTest.cluster(retried, "gamma/c0").attempt()).contains(2);
        run.advance();
        assertThat(run.step().actions()).containsExactly(new CampaignStep.Start("gamma/c0", "1.33.7"));
    }

    @Test
    void abortStopsNewStartsSaysWhatIsInFlightAndLetsItFinish() {
        SimulatedFleet fleet = fleet("1.33.5", "1.33.5", "1.33.5");
        var run = new SimulatedFleet.Run(fleet, campaign("{'kubernetesPatch':true}", ""), NOW);
        run.step();
        run.advance();
        assertThat(run.step().actions()).hasSize(2);
        run.advance();
        run.change(CampaignSimulationTest.with(run.spec, "'aborted':true"));
        CampaignStep.Outcome aborted = run.step();
        assertThat(aborted.actions()).isEmpty();
        assertThat(aborted.status().phase()).contains(Phase.ABORTED);
        assertThat(aborted.status().eta()).isEmpty();
        assertThat(CampaignSimulationTest.condition(aborted.status(), CampaignStep.PROGRESSING).orElseThrow().message())
                .contains("aborted: no cluster starts any more; 2 in flight (gamma/c0, gamma/c1), which finish their update; "
                        + "nothing is rolled back");
        assertThat(CampaignSimulationTest.cluster(aborted.status(), "gamma/c2").reason()).contains("Aborted");
        CampaignStatus later = until(run, status -> status.counts().orElseThrow().succeeded() == 2);
        assertThat(later.stragglers()).singleElement().satisfies(straggler -> assertThat(straggler.reason()).isEqualTo("Aborted"));
        assertThat(fleet.clusters.get(2).version).isEqualTo("1.33.5");
    }

    @Test
    void aClusterNoStageTakesIsExcludedAndOneDeletedInFlightIsDeleted() {
        SimulatedFleet fleet = fleet("1.33.5", "1.33.5");
        CampaignSpec spec = SimulatedFleet.bind("{'change':{'kubernetesPatch':true},'stages':[{'name':'tagged','selector':"
                + "{'matchLabels':{'tier':'canary'}}}]}", CampaignSpec.class);
        fleet.clusters.getFirst().labels.put("tier", "canary");
        var run = new SimulatedFleet.Run(fleet, spec, NOW);
        CampaignStatus first = run.step().status();
        assertThat(CampaignSimulationTest.cluster(first, "gamma/c1").state()).isEqualTo(ClusterState.EXCLUDED);
        assertThat(CampaignSimulationTest.cluster(first, "gamma/c1").message().orElseThrow())
                .isEqualTo("no stage takes environment \"development\" with its labels");
        run.advance();
        run.step();
        fleet.clusters.removeFirst();
        run.advance();
        CampaignStatus gone = run.step().status();
        assertThat(CampaignSimulationTest.cluster(gone, "gamma/c0").state()).isEqualTo(ClusterState.DELETED);
        assertThat(gone.phase()).contains(Phase.COMPLETED);
        assertThat(gone.stragglers()).extracting(CampaignStatus.Straggler::reason).containsExactly("Deleted", "Excluded");
    }

    @Test
    void aClusterThatTurnsUnhealthyWhileItsStageBakesFailsAndPausesTheCampaign() {
        SimulatedFleet fleet = fleet("1.33.5");
        CampaignSpec spec = SimulatedFleet.bind("{'change':{'kubernetesPatch':true},'stages':[{'name':'first','bakeTime':'24h'},"
                + "{'name':'second','environments':['production']}]}", CampaignSpec.class);
        var run = new SimulatedFleet.Run(fleet, spec, NOW);
        until(run, status -> CampaignSimulationTest.stage(status, "first") == CampaignStatus.StageState.BAKING);
        run.advance();
        fleet.clusters.getFirst().broken = true;
        CampaignStatus broken = run.step().status();
        CampaignStatus.ClusterProgress cluster = CampaignSimulationTest.cluster(broken, "gamma/c0");
        assertThat(cluster.state()).isEqualTo(ClusterState.FAILED);
        assertThat(cluster.reason()).contains("UnhealthyWhileBaking");
        assertThat(cluster.message().orElseThrow()).startsWith("Ready turned False while its stage baked: machines rolling");
        assertThat(broken.phase()).contains(Phase.PAUSED);
        assertThat(CampaignSimulationTest.stage(broken, "first")).as("a stage with an unaccepted failure is not done")
                .isEqualTo(CampaignStatus.StageState.PROGRESSING);
    }

    @Test
    void aPausedCampaignsStatusStaysPutAsTheClockMoves() {
        SimulatedFleet fleet = fleet("1.33.5", "1.33.5");
        var run = new SimulatedFleet.Run(fleet, campaign("{'kubernetesPatch':true}", ",'paused':true"), NOW);
        CampaignStatus first = run.step().status();
        assertThat(first.eta()).contains("2026-12-02T13:00:00Z");
        run.advance();
        run.advance();
        assertThat(run.step().status()).as("an ETA ten minutes later is not news").isEqualTo(first);
        for (int tick = 0; tick < 4; tick++) {
            run.advance();
        }
        assertThat(run.step().status().eta()).contains("2026-12-02T13:30:00Z");
    }

    @Test
    void notConnectedTheGateIsACommitAfterTheOneTheStepStartedFrom() {
        FleetCluster committedBefore = notConnected("c1", 2, 2);
        FleetCluster committedAfter = notConnected("c2", 2, 2);
        assertThat(HealthGate.judge(committedBefore, "1.33.7", Optional.of("c1")).passed()).isFalse();
        HealthGate.Verdict passed = HealthGate.judge(committedAfter, "1.33.7", Optional.of("c1"));
        assertThat(passed.passed()).isTrue();
        assertThat(passed.message()).isEqualTo("1.33.7 committed in c2; Drover is not connected to the management cluster, so the "
                + "cluster's health is not observed");
        assertThat(HealthGate.judge(notConnected("c2", 3, 2), "1.33.7", Optional.of("c1")).message())
                .isEqualTo("not committed to the fleet repository yet");
    }

    private static FleetCluster notConnected(String commit, long generation, long committed) {
        ObjectNode status = dev.drover.model.schema.Json.MAPPER.createObjectNode();
        status.putObject("git").put("commit", commit);
        status.putArray("conditions").addObject().put("type", "Committed").put("status", "True").put("observedGeneration", committed);
        ((com.fasterxml.jackson.databind.node.ArrayNode) status.get("conditions")).addObject().put("type", "Ready")
                .put("status", "Unknown").put("reason", "NotConnected");
        return new FleetCluster("gamma/c0", SimulatedFleet.bind("{'flavor':'eks-standard','environment':'development'}",
                dev.drover.model.api.ClusterSpec.class), Map.of(), generation, false, () -> status);
    }

    @Test
    void aPlanOfAFreshCampaignListsWhoStartsWhenWithoutActing() {
        SimulatedFleet fleet = SimulatedFleet.of(Map.of("production", 4), java.util.Set.of(), Map.of());
        CampaignStep.Outcome outcome = CampaignStep.decide("p", 1, campaign("{'kubernetesPatch':true}", ""),
                CampaignStep.lastWritten(dev.drover.model.schema.Json.MAPPER.createObjectNode()), fleet.observe(), Map.of(), NOW);
        assertThat(outcome.actions()).as("a first step only takes the clusters in").isEmpty();
        // gamma has no windows: its cluster starts now; alpha's window opens 18:00 UTC; beta's 13:00 Berlin (12:00 UTC).
        assertThat(outcome.plan().clusters()).extracting(CampaignPlan.ClusterPlan::name, plan -> plan.start().orElseThrow())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("beta/prod-001", "2026-12-02T12:00:00Z"),
                        org.assertj.core.groups.Tuple.tuple("gamma/prod-002", "2026-12-02T12:00:00Z"),
                        org.assertj.core.groups.Tuple.tuple("alpha/prod-000", "2026-12-02T18:00:00Z"),
                        org.assertj.core.groups.Tuple.tuple("alpha/prod-003", "2026-12-02T18:00:00Z"));
        assertThat(outcome.plan().eta()).contains("2026-12-02T19:00:00Z");
        assertThat(List.copyOf(outcome.plan().late())).isEmpty();
    }
}
