package dev.drover.model.campaign;

import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.CampaignStatus.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The campaign benchmark of {@code docs/benchmarks.md}, on the simulated fleet of {@link SimulatedFleet} (four teams'
 * maintenance windows, a connected fleet that reports health 40 minutes after a change):
 *
 * <ol>
 *   <li>a patch campaign over 100 clusters in three environments, staged with bake time and an approval, run to its
 *       end on a fake clock: the simulated duration and the wall time;</li>
 *   <li>the plan of a fresh 500-cluster campaign (what {@code drover campaign plan} asks the server for);</li>
 *   <li>one reconcile of a 1,000-cluster campaign in the middle of its rollout (windows, stages, gates, plan, report).</li>
 * </ol>
 *
 * <p>Run with {@code make bench-campaigns}; option {@code --rounds N}.
 */
public final class CampaignBenchmark {

    private static final Instant START = CampaignSimulationTest.START;
    private static final String CAMPAIGN = CampaignSimulationTest.CAMPAIGN.replace("'deadline':'2026-12-04T12:00:00Z',", "");

    private CampaignBenchmark() {
    }

    public static void main(String[] arguments) {
        int rounds = arguments.length == 2 && arguments[0].equals("--rounds") ? Integer.parseInt(arguments[1]) : 30;
        hundredClusters();
        CampaignSpec spec = SimulatedFleet.bind(CAMPAIGN, CampaignSpec.class);
        SimulatedFleet five = SimulatedFleet.of(Map.of("development", 200, "staging", 150, "production", 150), Set.of(), Map.of());
        CampaignStep.Fleet fiveObserved = five.observe();
        CampaignStatus fresh = CampaignStep.lastWritten(dev.drover.model.schema.Json.MAPPER.createObjectNode());
        long[] plans = time(rounds, () -> CampaignStep.decide("plan", 1, spec, fresh, fiveObserved, Map.of(), START));
        print("plan of a fresh 500-cluster campaign", plans, "target < 1 s");

        SimulatedFleet thousand = SimulatedFleet.of(Map.of("development", 400, "staging", 300, "production", 300), Set.of(), Map.of());
        var run = new SimulatedFleet.Run(thousand, spec, START);
        // Into the rollout: development done, staging under way.
        while (run.status.counts().map(CampaignStatus.Counts::succeeded).orElse(0) < 450) {
            run.step();
            run.advance();
        }
        CampaignStep.Fleet observed = thousand.observe();
        CampaignStatus midway = run.status;
        Instant now = run.now;
        long[] reconciles = time(rounds, () -> CampaignStep.decide("patch-1-33", 1, spec, midway, observed, Map.of(), now));
        System.out.printf(Locale.ROOT, "  (1,000 clusters at %s: %s)%n", now, midway.summary().orElse(""));
        print("one reconcile of a 1,000-cluster campaign midway", reconciles, "target < 100 ms");
    }

    private static void hundredClusters() {
        SimulatedFleet fleet = SimulatedFleet.of(Map.of("development", 40, "staging", 30, "production", 30), Set.of(), Map.of());
        var run = new SimulatedFleet.Run(fleet, SimulatedFleet.bind(CAMPAIGN, CampaignSpec.class), START);
        long started = System.nanoTime();
        int reconciles = 0;
        while (run.step().status().phase().orElseThrow() != Phase.COMPLETED) {
            reconciles++;
            if (CampaignSimulationTest.stage(run.status, "production") == CampaignStatus.StageState.AWAITING_APPROVAL) {
                run.change(CampaignSimulationTest.with(run.spec, "'approvedStages':['production']"));
            }
            run.advance();
        }
        double wall = (System.nanoTime() - started) / 1e6;
        Duration simulated = Duration.between(START, run.now);
        System.out.printf(Locale.ROOT, "100 clusters patched inside their windows: %dh %02dm simulated (target < 48 h), %d reconciles "
                + "every %d min, %.0f ms wall, %d started outside a window%n", simulated.toHours(), simulated.toMinutesPart(),
                reconciles, SimulatedFleet.TICK.toMinutes(), wall, fleet.startedOutsideWindow.size());
    }

    private static long[] time(int rounds, Runnable work) {
        for (int round = 0; round < rounds; round++) {
            work.run();
        }
        long[] nanos = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            work.run();
            nanos[round] = System.nanoTime() - started;
        }
        return nanos;
    }

    private static void print(String what, long[] nanos, String target) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: median %.1f ms, p95 %.1f ms, max %.1f ms (%s)%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1] / 1e6, sorted[sorted.length - 1] / 1e6, target);
    }
}
