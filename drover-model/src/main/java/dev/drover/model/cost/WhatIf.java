package dev.drover.model.cost;

import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A what-if question over the fleet: some clusters' pools at a least spot share, and/or hibernating nights and weekends.
 *
 * @param environments the environments of the clusters in question; empty with nonProduction for every environment but production
 * @param spotShare the least share of spot capacity of every pool, between 0 and 1
 * @param hibernateNightsAndWeekends whether the clusters' pools also sleep Monday to Friday 19:00–07:00 and all weekend
 */
public record WhatIf(List<String> environments, boolean nonProduction, Optional<BigDecimal> spotShare,
                     boolean hibernateNightsAndWeekends) {

    /** Nights (19:00–07:00, Monday to Friday) and weekends (Saturday 07:00 to Monday 07:00, as two whole days). */
    static final List<ClusterSpec.Window> NIGHTS_AND_WEEKENDS = List.of(
            new ClusterSpec.Window(List.of(ClusterSpec.Weekday.MONDAY, ClusterSpec.Weekday.TUESDAY, ClusterSpec.Weekday.WEDNESDAY,
                    ClusterSpec.Weekday.THURSDAY, ClusterSpec.Weekday.FRIDAY), "19:00", "07:00"),
            new ClusterSpec.Window(List.of(ClusterSpec.Weekday.SATURDAY, ClusterSpec.Weekday.SUNDAY), "07:00", "07:00"));

    /** A team's monthly cost as it is and under the question, and the saving. */
    public record TeamSaving(String team, BigDecimal before, BigDecimal after, BigDecimal saving, int clustersAffected) {
    }

    /** The answer: per team and in total. */
    public record Answer(Optional<String> currency, List<TeamSaving> teams, BigDecimal before, BigDecimal after,
                         BigDecimal saving, int clustersAffected) {
        public Answer {
            teams = List.copyOf(teams);
        }
    }

    public WhatIf {
        environments = List.copyOf(environments);
    }

    public boolean selects(String environment) {
        return environments.contains(environment)
                || (nonProduction && !FleetCost.PRODUCTION_ENVIRONMENTS.contains(environment));
    }

    public Answer answer(CostInputs inputs) {
        FleetCost now = FleetCost.compute(inputs);
        SortedMap<ClusterId, ClusterSpec> changed = new TreeMap<>(inputs.clusters());
        Map<ClusterId, BigDecimal> spot = new HashMap<>();
        Map<String, Integer> affected = new TreeMap<>();
        inputs.clusters().forEach((id, spec) -> {
            if (!selects(spec.environment())) {
                return;
            }
            affected.merge(id.team(), 1, Integer::sum);
            spotShare.ifPresent(share -> spot.put(id, share));
            if (hibernateNightsAndWeekends) {
                List<ClusterSpec.Window> windows = new ArrayList<>(NIGHTS_AND_WEEKENDS);
                spec.hibernation().ifPresent(existing -> windows.addAll(existing.windows()));
                changed.put(id, new ClusterSpec(spec.flavor(), spec.environment(), spec.region(), spec.kubernetesVersion(),
                        spec.nodePools(), spec.variables(), Optional.of(new ClusterSpec.Hibernation(windows,
                        spec.hibernation().flatMap(ClusterSpec.Hibernation::timeZone))), spec.ttl(), spec.addons(),
                        spec.allowPreviewVersion(), spec.maintenance()));
            }
        });
        FleetCost then = FleetCost.compute(new CostInputs(inputs.teams(), inputs.flavors(), inputs.priceBooks(), changed, inputs.at()), spot);
        List<TeamSaving> teams = new ArrayList<>();
        BigDecimal before = Money.ZERO;
        BigDecimal after = Money.ZERO;
        for (String team : now.teams().keySet()) {
            BigDecimal teamBefore = now.teams().get(team).monthly();
            BigDecimal teamAfter = then.teams().get(team).monthly();
            teams.add(new TeamSaving(team, teamBefore, teamAfter, teamBefore.subtract(teamAfter), affected.getOrDefault(team, 0)));
            before = before.add(teamBefore);
            after = after.add(teamAfter);
        }
        return new Answer(now.currency(), teams, before, after, before.subtract(after),
                affected.values().stream().mapToInt(Integer::intValue).sum());
    }
}
