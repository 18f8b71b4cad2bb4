package dev.drover.server.environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterSpec.Weekday;
import dev.drover.model.api.Kinds;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.environment.ScheduleMemo;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment benchmark of {@code docs/benchmarks.md}: one pass of the environment controller's decisions over N
 * clusters (default 10,000), each with a TTL and a hibernation schedule (nights and weekends in one of four time
 * zones, every tenth with an override), half of them with a status written before, as the controller evaluates the
 * whole fleet on every pass. Run with {@code make bench-environments}; options: {@code --clusters N --rounds N}.
 */
public final class EnvironmentBenchmark {

    private static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC");

    private EnvironmentBenchmark() {
    }

    public static void main(String[] arguments) {
        int clusters = option(arguments, "--clusters", 10_000);
        int rounds = option(arguments, "--rounds", 30);
        Instant now = Instant.parse("2026-12-02T18:30:00Z");
        List<ClusterEnvironment> fleet = fleet(clusters, now);
        System.out.printf(Locale.ROOT, "environment benchmark: %,d clusters with a ttl and a schedule, %d rounds after %d warm-up"
                + " rounds%n", clusters, rounds, rounds);
        int hibernated = 0;
        for (int round = 0; round < rounds; round++) {
            hibernated = pass(fleet, now.plusSeconds(round * 60L), new ScheduleMemo());
        }
        // Cold: every schedule decided anew, as the first pass after a start (and any pass with a memo that holds nothing).
        long[] cold = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            pass(fleet, now.plusSeconds(round * 60L), new ScheduleMemo());
            cold[round] = System.nanoTime() - started;
        }
        // Steady: a pass a minute, the controller's memo keeping the decisions that still hold; the first of these
        // minutes crosses the 19:00 boundary of one time zone, so some schedules are decided anew.
        ScheduleMemo memo = new ScheduleMemo();
        pass(fleet, now, memo);
        long[] steady = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            pass(fleet, now.plusSeconds((round + 1) * 60L), memo);
            steady[round] = System.nanoTime() - started;
        }
        Arrays.sort(cold);
        Arrays.sort(steady);
        System.out.printf(Locale.ROOT, "first pass (every schedule decided): p50 %.1f ms, p95 %.1f ms (target: 100 ms)%n",
                cold[rounds / 2] / 1e6, cold[(int) (rounds * 0.95)] / 1e6);
        System.out.printf(Locale.ROOT, "later passes (a minute apart): p50 %.1f ms, p95 %.1f ms; %,d of %,d hibernated%n",
                steady[rounds / 2] / 1e6, steady[(int) (rounds * 0.95)] / 1e6, hibernated, clusters);
    }

    /** Every cluster's decision, as one controller pass takes them; returns how many are hibernated. */
    private static int pass(List<ClusterEnvironment> fleet, Instant now, ScheduleMemo memo) {
        int hibernated = 0;
        for (ClusterEnvironment cluster : fleet) {
            if (EnvironmentDecisions.decide(cluster, now, memo).update().fields().get("hibernation").path("state").asText()
                    .equals("Hibernated")) {
                hibernated++;
            }
        }
        return hibernated;
    }

    private static List<ClusterEnvironment> fleet(int size, Instant now) {
        var weekdays = List.of(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY);
        var lifetime = new Lifetime.Limits(Optional.of(Duration.ofHours(336)), "flavor \"dev\"", Optional.empty());
        List<ClusterEnvironment> fleet = new ArrayList<>(size);
        for (int index = 0; index < size; index++) {
            Optional<ClusterSpec.ScheduleOverride> override = index % 10 == 0
                    ? Optional.of(new ClusterSpec.ScheduleOverride(ClusterSpec.HibernationState.AWAKE, Optional.of("2026-12-02T17:00:00Z"),
                            Optional.of("2026-12-03T07:00:00Z"), Optional.of("release night")))
                    : Optional.empty();
            var hibernation = new ClusterSpec.Hibernation(List.of(new ClusterSpec.Window(weekdays, "19:00", "07:00"),
                    new ClusterSpec.Window(List.of(Weekday.SATURDAY, Weekday.SUNDAY), "00:00", "23:59")),
                    Optional.of(ZONES.get(index % ZONES.size())), override);
            var spec = new ClusterSpec("dev", "development", Optional.empty(), Optional.empty(), List.of(), Map.of(),
                    Optional.of(hibernation), Optional.of((24 + index % 300) + "h"), Optional.empty());
            JsonNode status = index % 2 == 0 ? MissingNode.getInstance() : Json.parseObject(
                    "{\"expiresAt\":\"2026-12-05T00:00:00Z\",\"hibernation\":{\"state\":\"Awake\",\"cause\":\"x\","
                            + "\"lastTransitionTime\":\"2026-12-02T07:00:00Z\"}}");
            fleet.add(new ClusterEnvironment(new ObjectKey(Kinds.CLUSTER.kind(), "team-" + index % 100, "cluster-" + index), spec,
                    now.minus(Duration.ofHours(index % 48)), 1, false, lifetime, List.of(), status));
        }
        return fleet;
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
