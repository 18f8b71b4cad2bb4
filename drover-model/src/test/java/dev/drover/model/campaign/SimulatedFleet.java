package dev.drover.model.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.environment.MaintenanceWindows;
import dev.drover.model.schema.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fleet for campaign tests and benchmarks, standing in for the write path, the fleet reconciler and a connected
 * management cluster: a started cluster's change is committed {@link #COMMIT_AFTER} later, and the cluster reports
 * Ready with every machine at the new version {@link #HEALTHY_AFTER} after the change, unless it is one that fails.
 * The campaign runs on a fake clock in steps of {@link #TICK}.
 */
final class SimulatedFleet {

    static final Duration TICK = Duration.ofMinutes(5);
    static final Duration COMMIT_AFTER = Duration.ofMinutes(5);
    static final Duration HEALTHY_AFTER = Duration.ofMinutes(40);
    static final String FLAVOR = "eks-standard";

    /** Teams with windows: two by day, in turns, so that some window is open at most times; one without windows. */
    static final Map<String, String> TEAM_WINDOWS = Map.of(
            "alpha", "{'maintenance':{'timeZone':'UTC','windows':[{'days':['Mon','Tue','Wed','Thu','Fri','Sat','Sun'],"
                    + "'start':'06:00','end':'12:00'},{'days':['Mon','Tue','Wed','Thu','Fri','Sat','Sun'],'start':'18:00','end':'00:00'}]}}",
            "beta", "{'maintenance':{'timeZone':'Europe/Berlin','windows':[{'days':['Mon','Tue','Wed','Thu','Fri','Sat','Sun'],"
                    + "'start':'01:00','end':'07:00'},{'days':['Mon','Tue','Wed','Thu','Fri','Sat','Sun'],'start':'13:00','end':'19:00'}]}}",
            "gamma", "{}",
            // Only on Sundays: a cluster of it cannot finish before a deadline two days after a Wednesday start.
            "delta", "{'maintenance':{'timeZone':'UTC','windows':[{'days':['Sun'],'start':'02:00','end':'04:00'}]}}");

    /** One simulated Cluster. */
    static final class Simulated {
        final String name;
        final String team;
        final String environment;
        final boolean failing;
        String version;
        String observedVersion;
        long generation = 1;
        long committedGeneration = 1;
        long readyGeneration = 1;
        String commit = "c0";
        /** Ready turns False, as a regression after an update would make it. */
        boolean broken;
        Optional<Instant> changedAt = Optional.empty();
        final Map<String, String> labels = new LinkedHashMap<>();

        Simulated(String name, String team, String environment, String version, boolean failing) {
            this.name = name;
            this.team = team;
            this.environment = environment;
            this.version = version;
            this.observedVersion = version;
            this.failing = failing;
            labels.put(Kinds.LABEL_PREFIX + "environment", environment);
            labels.put(Kinds.LABEL_PREFIX + "flavor", FLAVOR);
            labels.put(Kinds.LABEL_PREFIX + "team", team);
        }

        ClusterSpec spec() {
            return bind("{'flavor':'" + FLAVOR + "','environment':'" + environment + "','region':'eu-central-1',"
                    + "'kubernetesVersion':'" + version + "','nodePools':[{'name':'general','instanceType':'m5.large','minSize':1,"
                    + "'maxSize':3}]}", ClusterSpec.class);
        }

        void tick(Instant now, int[] commits) {
            if (changedAt.isEmpty()) {
                return;
            }
            if (committedGeneration < generation && !now.isBefore(changedAt.get().plus(COMMIT_AFTER))) {
                committedGeneration = generation;
                commit = "c" + ++commits[0];
            }
            if (!failing && readyGeneration < generation && !now.isBefore(changedAt.get().plus(HEALTHY_AFTER))) {
                readyGeneration = generation;
                observedVersion = version;
            }
        }

        FleetCluster observe() {
            ObjectNode status = Json.MAPPER.createObjectNode();
            status.putObject("git").put("commit", commit);
            var conditions = status.putArray("conditions");
            conditions.addObject().put("type", "Committed").put("status", "True").put("observedGeneration", committedGeneration);
            boolean ready = !broken && readyGeneration == generation;
            conditions.addObject().put("type", "Ready").put("status", ready ? "True" : "False").put("reason", ready ? "Ready" : "Upgrading")
                    .put("message", ready ? "" : "machines rolling to v" + version).put("observedGeneration", readyGeneration);
            status.putObject("observed").putArray("versions").add("v" + observedVersion);
            return new FleetCluster(team + "/" + name, spec(), labels, generation, false, () -> status);
        }
    }

    final List<Simulated> clusters = new ArrayList<>();
    final Map<String, TeamSpec> teams = new HashMap<>();
    final Map<String, ClusterFlavorSpec> flavors;
    final List<String> startedOutsideWindow = new ArrayList<>();
    private final int[] commits = {0};

    SimulatedFleet() {
        TEAM_WINDOWS.forEach((team, spec) -> teams.put(team, bind(spec, TeamSpec.class)));
        flavors = Map.of(FLAVOR, bind("{'provider':'aws-eks','environments':['development','staging','production'],"
                + "'regions':['eu-central-1'],'instanceTypes':['m5.large'],"
                + "'kubernetesVersions':{'default':'1.33.7','allowed':['1.31.8','1.32.9','1.33.5','1.33.7']}}", ClusterFlavorSpec.class));
    }

    static <T> T bind(String json, Class<T> type) {
        return Json.bind(Json.parseObject(json.replace('\'', '"')), type);
    }

    /** {@code count} clusters per environment, spread over the teams with windows by day and the one without. */
    static SimulatedFleet of(Map<String, Integer> environments, Set<String> failing, Map<String, String> teamOf) {
        var fleet = new SimulatedFleet();
        List<String> teams = List.of("alpha", "beta", "gamma");
        environments.forEach((environment, count) -> {
            for (int index = 0; index < count; index++) {
                String name = environment.substring(0, 4) + "-" + String.format("%03d", index);
                fleet.clusters.add(new Simulated(name, teamOf.getOrDefault(name, teams.get(index % teams.size())), environment,
                        "1.33.5", failing.contains(name)));
            }
        });
        return fleet;
    }

    CampaignStep.Fleet observe() {
        return new CampaignStep.Fleet(clusters.stream().map(Simulated::observe).toList(), flavors, teams);
    }

    /** Does what the controller would: each Start through the "write path", each Release of the label. */
    void act(String campaign, List<CampaignStep.Action> actions, Instant now) {
        for (CampaignStep.Action action : actions) {
            Simulated cluster = clusters.stream().filter(each -> (each.team + "/" + each.name).equals(action.cluster()))
                    .findFirst().orElseThrow();
            switch (action) {
                case CampaignStep.Start start -> {
                    Optional<MaintenanceWindows.Source> windows = MaintenanceWindows.of(cluster.spec(), cluster.team,
                            Optional.ofNullable(teams.get(cluster.team)), FLAVOR, flavors.get(FLAVOR));
                    if (windows.isPresent() && !windows.get().at(now).hibernated()) {
                        startedOutsideWindow.add(cluster.name);
                    }
                    cluster.version = start.version();
                    cluster.generation++;
                    cluster.changedAt = Optional.of(now);
                    cluster.labels.put(Kinds.CAMPAIGN_LABEL, campaign);
                }
                case CampaignStep.Release release -> cluster.labels.remove(Kinds.CAMPAIGN_LABEL);
            }
        }
    }

    void tick(Instant now) {
        clusters.forEach(cluster -> cluster.tick(now, commits));
    }

    /** Steps a campaign until {@code stop} holds or {@code until}, operating it as {@code operator} says each tick. */
    static final class Run {
        final SimulatedFleet fleet;
        CampaignSpec spec;
        CampaignStatus status = bind("{}", CampaignStatus.class);
        Instant now;
        long generation = 1;
        CampaignStep.Outcome last;

        Run(SimulatedFleet fleet, CampaignSpec spec, Instant start) {
            this.fleet = fleet;
            this.spec = spec;
            this.now = start;
        }

        /** One reconcile at the current instant. */
        CampaignStep.Outcome step() {
            fleet.tick(now);
            last = CampaignStep.decide("patch-1-33", generation, spec, status, fleet.observe(), Map.of(), now);
            status = last.status();
            fleet.act("patch-1-33", last.actions(), now);
            return last;
        }

        void advance() {
            now = now.plus(TICK);
        }

        void change(CampaignSpec changed) {
            spec = changed;
            generation++;
        }
    }
}
