package dev.drover.model.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.CampaignStatus.ClusterState;
import dev.drover.model.api.CampaignStatus.Phase;
import dev.drover.model.api.CampaignStatus.StageState;
import dev.drover.model.api.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A patch campaign over 100 clusters in three environments and four teams' maintenance windows, stepped on a fake
 * clock against a simulated fleet: a failing staging cluster pauses it, the operator resumes it accepting the failure,
 * production waits for approval, and a cluster whose only window is on Sunday straggles past the deadline.
 */
class CampaignSimulationTest {

    /** Wednesday noon, UTC. */
    static final Instant START = Instant.parse("2026-12-02T12:00:00Z");
    static final String CAMPAIGN = """
            {'change':{'kubernetesPatch':true},'maxFailures':0,'updateTimeout':'2h','expectedUpdateDuration':'45m',
             'deadline':'2026-12-04T12:00:00Z',
             'stages':[{'name':'development','environments':['development'],'maxConcurrent':'25%'},
                       {'name':'staging','environments':['staging'],'maxConcurrent':'20%','bakeTime':'2h'},
                       {'name':'production','environments':['production'],'maxConcurrent':'10%','requiresApproval':true}]}""";

    @Test
    void patchesAHundredClustersInsideTheirWindowsPausingOnAFailureAndReportingTheStraggler() {
        SimulatedFleet fleet = SimulatedFleet.of(Map.of("development", 40, "staging", 30, "production", 30), Set.of("stag-004"),
                Map.of("prod-007", "delta"));
        var run = new SimulatedFleet.Run(fleet, SimulatedFleet.bind(CAMPAIGN, CampaignSpec.class), START);
        Map<String, ClusterState> before = new HashMap<>();
        Optional<Instant> pausedAt = Optional.empty();
        Optional<Condition> pausedBy = Optional.empty();
        Optional<Instant> approvalAsked = Optional.empty();
        Optional<CampaignStatus> atDeadline = Optional.empty();
        Optional<Instant> allButTheStraggler = Optional.empty();
        List<String> transitionsPerStep = new ArrayList<>();
        while (run.now.isBefore(START.plus(Duration.ofDays(7)))) {
            CampaignStatus status = run.step().status();
            status.clusters().forEach(cluster -> {
                ClusterState was = before.put(cluster.name(), cluster.state());
                if (was != null && was != cluster.state() && !next(was).contains(cluster.state())) {
                    transitionsPerStep.add(cluster.name() + " " + was + " -> " + cluster.state() + " at " + run.now);
                }
            });
            if (status.phase().orElseThrow() == Phase.COMPLETED) {
                break;
            }
            if (status.phase().orElseThrow() == Phase.PAUSED && pausedAt.isEmpty()) {
                pausedAt = Optional.of(run.now);
                pausedBy = condition(status, CampaignStep.PAUSED);
            }
            // The operator looks an hour after the pause, and resumes accepting the failure, as `drover campaign resume` does.
            if (pausedAt.filter(at -> run.now.equals(at.plus(Duration.ofHours(1)))).isPresent()) {
                run.change(with(run.spec, "'acceptedFailures':['beta/stag-004']"));
            }
            if (stage(status, "production") == StageState.AWAITING_APPROVAL && approvalAsked.isEmpty()) {
                approvalAsked = Optional.of(run.now);
                run.change(with(run.spec, "'acceptedFailures':['beta/stag-004'],'approvedStages':['production']"));
            }
            if (atDeadline.isEmpty() && !run.now.isBefore(Instant.parse("2026-12-04T12:00:00Z"))) {
                atDeadline = Optional.of(status);
            }
            if (allButTheStraggler.isEmpty() && status.counts().orElseThrow().succeeded() == 98) {
                allButTheStraggler = Optional.of(run.now);
            }
            run.advance();
        }
        CampaignStatus last = run.last.status();

        assertThat(transitionsPerStep).as("one transition per cluster per reconcile, along the state machine's edges").isEmpty();
        assertThat(fleet.startedOutsideWindow).as("clusters started outside their maintenance window").isEmpty();
        // The failing cluster times out two hours after its change, and the first failure pauses the campaign.
        assertThat(pausedBy.orElseThrow().reason()).contains("TooManyFailures");
        assertThat(pausedBy.get().message().orElseThrow()).startsWith("1 failed (beta/stag-004), more than maxFailures 0");
        CampaignStatus.ClusterProgress failed = cluster(last, "beta/stag-004");
        assertThat(failed.state()).isEqualTo(ClusterState.FAILED);
        assertThat(failed.reason()).contains("HealthGateTimeout");
        assertThat(failed.message().orElseThrow()).contains("the management cluster reports v1.33.5, not only v1.33.7");
        assertThat(approvalAsked).isPresent();

        // At the deadline the report names both: the failure, and the cluster whose only window is on Sunday.
        Map<String, String> stragglers = new LinkedHashMap<>();
        atDeadline.orElseThrow().stragglers().forEach(straggler -> stragglers.put(straggler.name(), straggler.reason()));
        assertThat(stragglers).containsEntry("beta/stag-004", "HealthGateFailing")
                .containsEntry("delta/prod-007", "NoWindowBeforeDeadline").hasSize(2);
        assertThat(atDeadline.get().stragglers()).filteredOn(straggler -> straggler.name().equals("delta/prod-007"))
                .singleElement().satisfies(straggler -> assertThat(straggler.message())
                        .isEqualTo("expected done at 2026-12-06T02:45:00Z, after the deadline 2026-12-04T12:00:00Z"));
        // The other 98 are patched inside 48 simulated hours; the straggler in its Sunday window.
        assertThat(allButTheStraggler.orElseThrow()).isBefore(START.plus(Duration.ofHours(48)));
        assertThat(last.phase()).contains(Phase.COMPLETED);
        assertThat(last.counts().orElseThrow().succeeded()).isEqualTo(99);
        assertThat(cluster(last, "delta/prod-007").since().orElseThrow()).startsWith("2026-12-06T02:");
        assertThat(fleet.clusters).filteredOn(cluster -> !cluster.failing).allSatisfy(cluster -> {
            assertThat(cluster.version).isEqualTo("1.33.7");
            assertThat(cluster.labels).doesNotContainKey(dev.drover.model.api.Kinds.CAMPAIGN_LABEL);
        });
    }

    /** The edges of a cluster's state machine. */
    private static Set<ClusterState> next(ClusterState state) {
        return switch (state) {
            case PENDING -> Set.of(ClusterState.UPDATING, ClusterState.SUCCEEDED, ClusterState.SKIPPED, ClusterState.EXCLUDED,
                    ClusterState.DELETED);
            case UPDATING -> Set.of(ClusterState.SUCCEEDED, ClusterState.FAILED, ClusterState.PENDING, ClusterState.SKIPPED,
                    ClusterState.DELETED);
            case FAILED -> Set.of(ClusterState.PENDING, ClusterState.SKIPPED);
            case SUCCEEDED -> Set.of(ClusterState.FAILED);
            case EXCLUDED, SKIPPED -> Set.of(ClusterState.PENDING, ClusterState.SUCCEEDED, ClusterState.SKIPPED, ClusterState.EXCLUDED);
            case DELETED -> Set.of();
        };
    }

    static CampaignSpec with(CampaignSpec spec, String fields) {
        String json = dev.drover.model.schema.Json.write(spec);
        return SimulatedFleet.bind(json.substring(0, json.length() - 1) + "," + fields.replace('\'', '"') + "}", CampaignSpec.class);
    }

    static StageState stage(CampaignStatus status, String name) {
        return status.stages().stream().filter(stage -> stage.name().equals(name)).findFirst().orElseThrow().state();
    }

    static CampaignStatus.ClusterProgress cluster(CampaignStatus status, String name) {
        return status.clusters().stream().filter(cluster -> cluster.name().equals(name)).findFirst().orElseThrow();
    }

    static Optional<Condition> condition(CampaignStatus status, String type) {
        return status.conditions().stream().filter(condition -> condition.type().equals(type)).findFirst();
    }
}
