package dev.drover.model.cost;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.NodePool;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cost benchmark of {@code docs/benchmarks.md}: the full report over N clusters (default 10,000), computed from
 * scratch as the server does after a change (every estimate, virtual-cluster shares, team run-rates, the platform
 * split) and then grouped by each of the five groupings. The clusters are copies of the example organisation's ten
 * (all five providers, spot pools, hibernation, a virtual cluster on its host) spread over 100 teams.
 *
 * <p>Run with {@code make bench-cost}; options: {@code --clusters N --rounds N}.
 */
public final class CostBenchmark {

    private CostBenchmark() {
    }

    public static void main(String[] arguments) {
        int clusters = option(arguments, "--clusters", 10_000);
        int rounds = option(arguments, "--rounds", 50);
        CostInputs inputs = fleet(clusters);
        System.out.printf(Locale.ROOT, "cost benchmark: %,d clusters in %d teams, %d rounds after %d warm-up rounds%n",
                inputs.clusters().size(), inputs.teams().size(), rounds, rounds);
        for (int round = 0; round < rounds; round++) {
            fullReport(inputs);
        }
        long[] computeNanos = new long[rounds];
        long[] teamReportNanos = new long[rounds];
        long[] allGroupingsNanos = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            FleetCost fleet = FleetCost.compute(inputs);
            long computed = System.nanoTime();
            CostReport.of(fleet, CostReport.GroupBy.TEAM, Optional.empty());
            long byTeam = System.nanoTime();
            for (CostReport.GroupBy by : CostReport.GroupBy.values()) {
                CostReport.of(fleet, by, Optional.empty());
            }
            long reported = System.nanoTime();
            computeNanos[round] = computed - started;
            teamReportNanos[round] = byTeam - started;
            allGroupingsNanos[round] = (computed - started) + (reported - byTeam);
        }
        print("compute (estimates, shares, teams, platform)", computeNanos);
        print("full report by team (compute + grouping)", teamReportNanos);
        print("compute + all five groupings", allGroupingsNanos);
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "heap in use after the rounds: %d MiB%n", (runtime.totalMemory() - runtime.freeMemory()) >> 20);
    }

    private static void fullReport(CostInputs inputs) {
        FleetCost fleet = FleetCost.compute(inputs);
        for (CostReport.GroupBy by : CostReport.GroupBy.values()) {
            CostReport.of(fleet, by, Optional.empty());
        }
    }

    /** The example clusters copied into 100 teams until there are {@code count}, each copy with its own pool sizes. */
    static CostInputs fleet(int count) {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var teams = new TreeMap<String, TeamSpec>();
        var specs = new TreeMap<ClusterId, ClusterSpec>();
        List<Map.Entry<ClusterId, ClusterSpec>> templates = new ArrayList<>();
        examples.clusters().forEach((id, request) -> templates.add(Map.entry(id, request.spec())));
        for (int index = 0; specs.size() < count; index++) {
            var template = templates.get(index % templates.size());
            String team = "team-" + (index % 100);
            teams.putIfAbsent(team, examples.teams().get(template.getKey().team()));
            int copy = index / templates.size();
            ClusterSpec spec = template.getValue();
            List<NodePool> pools = spec.nodePools().stream().map(pool -> new NodePool(pool.name(), pool.instanceType(),
                    pool.minSize() == 0 ? 0 : pool.minSize() + copy % 3, pool.maxSize() + copy % 3, pool.capacityType(), pool.labels())).toList();
            // Virtual clusters stay in the example host's team, so that they share its cost.
            String owner = template.getKey().name().equals("shared-dev-host") || template.getKey().name().equals("notebooks-dev")
                    ? template.getKey().team() : team;
            teams.putIfAbsent(owner, examples.teams().get(template.getKey().team()));
            String name = template.getKey().name().equals("shared-dev-host") && copy == 0 ? "shared-dev-host"
                    : template.getKey().name() + "-" + copy;
            specs.put(new ClusterId(owner, name), new ClusterSpec(spec.flavor(), spec.environment(), spec.region(),
                    spec.kubernetesVersion(), pools, spec.variables(), spec.hibernation(), spec.ttl(), spec.addons()));
        }
        return new CostInputs(teams, examples.flavors(), ExampleFleet.priceBooks(), specs, ExampleFleet.PRICED_AT);
    }

    private static void print(String what, long[] nanos) {
        System.out.printf(Locale.ROOT, "%s: median %.1f ms, p95 %.1f ms, max %.1f ms%n", what, percentile(nanos, 0.5),
                percentile(nanos, 0.95), Arrays.stream(nanos).max().orElse(0) / 1e6);
    }

    private static double percentile(long[] nanos, double share) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(share * sorted.length) - 1)] / 1e6;
    }

    private static int option(String[] arguments, String name, int fallback) {
        for (int index = 0; index < arguments.length - 1; index++) {
            if (arguments[index].equals(name)) {
                return Integer.parseInt(arguments[index + 1]);
            }
        }
        return fallback;
    }
}
